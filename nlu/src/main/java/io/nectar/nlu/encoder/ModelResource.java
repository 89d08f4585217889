package io.nectar.nlu.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a model or tokenizer file lives: {@code classpath:NAME} for files carried in a jar, otherwise a
 * file system path. Opened once at load time, on the loading thread.
 */
public record ModelResource(String location) {

    public ModelResource {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("location must not be blank");
        }
    }

    public static ModelResource classpath(String name) {
        return new ModelResource("classpath:" + name);
    }

    public static ModelResource file(Path path) {
        return new ModelResource(path.toString());
    }

    public InputStream open() throws IOException {
        if (location.startsWith("classpath:")) {
            String name = location.substring("classpath:".length());
            InputStream in = ModelResource.class.getClassLoader().getResourceAsStream(name);
            if (in == null) {
                throw new IOException("no resource " + name + " on the classpath");
            }
            return in;
        }
        return Files.newInputStream(Path.of(location));
    }

    @Override
    public String toString() {
        return location;
    }
}
