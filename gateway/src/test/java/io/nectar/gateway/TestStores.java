package io.nectar.gateway;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Store directories for tests that serve several merchants from one gateway. */
public final class TestStores {

    private TestStores() {
    }

    /** A copy of the bundled demo store (with its media) as directory {@code parent/demo}. */
    public static Path copyDemo(Path parent) throws IOException, URISyntaxException {
        Path source = Path.of(TestStores.class.getResource("/demo-store/store.yaml").toURI()).getParent();
        Path target = parent.resolve("demo");
        try (var files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return target;
    }

    /** A store directory {@code parent/name} with these files (name → content; subdirectories allowed). */
    public static Path write(Path parent, String name, Map<String, String> files) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        return dir;
    }
}
