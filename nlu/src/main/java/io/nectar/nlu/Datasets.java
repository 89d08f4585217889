package io.nectar.nlu;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the shared public datasets are, for every tool and test of the project (the scripts' twin is
 * {@code ops/lib/datasets.sh}): system property {@code nectar.datasets}, else environment variable
 * {@code NECTAR_DATASETS}, else {@code ../shared/datasets} beside the repository root, the root being the
 * nearest directory at or above the working directory that holds {@code ops/} and {@code pom.xml}.
 * The data is read in place, never copied into the project.
 */
public final class Datasets {

    private Datasets() {
    }

    /** The datasets directory (it may not exist: {@link #file} says so clearly). */
    public static Path root() {
        String p = System.getProperty("nectar.datasets");
        if (p == null || p.isBlank()) {
            p = System.getenv("NECTAR_DATASETS");
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath().normalize();
        }
        Path repo = repositoryRoot(Path.of("").toAbsolutePath());
        Path base = repo != null ? repo : Path.of("").toAbsolutePath();
        return base.resolve("../shared/datasets").normalize();
    }

    /** A file under the datasets directory; fails with a message that names the setting when it is missing. */
    public static Path file(String relative) {
        Path f = root().resolve(relative);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("dataset file " + f + " not found; set NECTAR_DATASETS (or -Dnectar.datasets)"
                    + " to the shared datasets directory");
        }
        return f;
    }

    static Path repositoryRoot(Path from) {
        for (Path d = from; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("ops")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        return null;
    }
}
