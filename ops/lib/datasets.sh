# Sourced by the ops scripts: the one place they find the shared public datasets.
#   DATA="$(nectar_datasets)"   # $NECTAR_DATASETS, else ../shared/datasets beside the repository root
# (Java finds them the same way: io.nectar.nlu.Datasets.) Fails with a clear message when neither exists.
nectar_datasets() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  local dir="${NECTAR_DATASETS:-$root/../shared/datasets}"
  if [ ! -d "$dir" ]; then
    echo "datasets not found at $dir: set NECTAR_DATASETS to the shared datasets directory" >&2
    return 1
  fi
  (cd "$dir" && pwd)
}
