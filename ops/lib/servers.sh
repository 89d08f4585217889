# Real Redis and PostgreSQL servers for tests and local clusters, started from the distribution's
# binaries (installed with apt-get when missing and running as root). Sourced by ops/test and
# ops/cluster; every function takes a state directory and records what it started there by PID, so
# `servers_stop DIR` stops exactly those processes.
#
#   servers_install                     apt-get install redis-server postgresql haproxy when missing (root only)
#   redis_start DIR PORT                one Redis on 127.0.0.1:PORT, nothing kept on disk
#   redis_cluster_start DIR P1 P2 P3    three Redis masters on those ports, joined into a Redis Cluster
#   pg_start DIR PORT                   a throwaway PostgreSQL cluster (trust auth on loopback), database "nectar"
#   servers_stop DIR                    stops every server started with DIR (by PID), removes nothing else

servers_need() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-cli >/dev/null || missing+=(redis-tools)
  pg_bindir >/dev/null 2>&1 || missing+=(postgresql)
  for pkg in "$@"; do
    case "$pkg" in
      haproxy) command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || missing+=(haproxy) ;;
    esac
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "nectar: installing ${missing[*]} (apt-get)..." >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "nectar: these tests need real servers: install ${missing[*]} (Debian: apt-get install ${missing[*]})" >&2
    return 1
  fi
}

pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_port() { # PORT SECONDS WHAT
  local i
  for i in $(seq 1 $(( $2 * 10 ))); do
    port_free "$1" || return 0
    sleep 0.1
  done
  echo "nectar: $3 did not open port $1 within $2 s" >&2
  return 1
}

redis_start() { # DIR PORT [extra redis-server args...]
  local dir="$1" port="$2"; shift 2
  mkdir -p "$dir/redis-$port"
  port_free "$port" || { echo "nectar: port $port is taken; cannot start Redis there" >&2; return 1; }
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
    --dir "$dir/redis-$port" --pidfile "$dir/redis-$port/redis.pid" --logfile "$dir/redis-$port/redis.log" "$@" >/dev/null
  wait_port "$port" 10 "Redis" || return 1
  for _ in $(seq 1 50); do [ -s "$dir/redis-$port/redis.pid" ] && break; sleep 0.1; done
  cp "$dir/redis-$port/redis.pid" "$dir/redis-$port.pid"
}

redis_cluster_start() { # DIR P1 P2 P3
  local dir="$1"; shift
  local port nodes=()
  for port in "$@"; do
    redis_start "$dir" "$port" --cluster-enabled yes --cluster-config-file "$dir/redis-$port/nodes.conf" \
      --cluster-node-timeout 2000 || return 1
    nodes+=("127.0.0.1:$port")
  done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$dir/redis-cluster-create.log" 2>&1 || {
    echo "nectar: redis-cli --cluster create failed: $(tail -3 "$dir/redis-cluster-create.log")" >&2; return 1; }
  for _ in $(seq 1 100); do
    redis-cli -p "$1" cluster info 2>/dev/null | grep -q 'cluster_state:ok' && return 0
    sleep 0.1
  done
  echo "nectar: the Redis Cluster on ports $* did not become ready" >&2
  return 1
}

pg_start() { # DIR PORT
  local dir="$1" port="$2" bin
  bin="$(pg_bindir)" || { echo "nectar: no PostgreSQL server binaries (initdb) found" >&2; return 1; }
  port_free "$port" || { echo "nectar: port $port is taken; cannot start PostgreSQL there" >&2; return 1; }
  local pgdir="$dir/pg-$port" run=""
  mkdir -p "$pgdir"
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root: run it as the postgres user (created by the package)
    chown postgres "$pgdir"
    chmod 755 "$dir"
    run="su postgres -s /bin/sh -c"
  else
    run="sh -c"
  fi
  $run "'$bin/initdb' -D '$pgdir/data' -U postgres --auth=trust -E UTF8 --no-sync >'$pgdir/initdb.log' 2>&1" || {
    echo "nectar: initdb failed: $(tail -3 "$pgdir/initdb.log")" >&2; return 1; }
  $run "'$bin/pg_ctl' -D '$pgdir/data' -o \"-p $port -k '$pgdir' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300\" -l '$pgdir/pg.log' -w start >/dev/null" || {
    echo "nectar: PostgreSQL did not start: $(tail -5 "$pgdir/pg.log")" >&2; return 1; }
  head -1 "$pgdir/data/postmaster.pid" > "$dir/pg-$port.pid"
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "create database nectar" >/dev/null
}

servers_stop() { # DIR
  local dir="$1" f pid
  [ -d "$dir" ] || return 0
  for f in "$dir"/*.pid; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

free_port() { # BASE: the first free port from BASE up
  local p="$1"
  while ! port_free "$p"; do p=$((p + 1)); done
  echo "$p"
}

pg_ctl_as_owner() { # DIR PORT start|stop|restart: controls a server started by pg_start
  local dir="$1" port="$2" action="$3" bin run
  bin="$(pg_bindir)"
  local pgdir="$dir/pg-$port"
  if [ "$(id -u)" = 0 ]; then run="su postgres -s /bin/sh -c"; else run="sh -c"; fi
  case "$action" in
    stop) $run "'$bin/pg_ctl' -D '$pgdir/data' -m fast -w stop >/dev/null" ;;
    start|restart)
      $run "'$bin/pg_ctl' -D '$pgdir/data' -o \"-p $port -k '$pgdir' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300\" -l '$pgdir/pg.log' -w $action >/dev/null"
      head -1 "$pgdir/data/postmaster.pid" > "$dir/pg-$port.pid" ;;
  esac
}
