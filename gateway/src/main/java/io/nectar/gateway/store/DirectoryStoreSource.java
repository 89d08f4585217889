package io.nectar.gateway.store;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A merchant's store directory on disk; the merchant id defaults to the directory's name. */
public final class DirectoryStoreSource implements StoreSource {

    private final Path dir;

    public DirectoryStoreSource(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public List<Store> load() {
        if (!Files.isDirectory(dir)) {
            throw StoreException.ofDirectory("the store directory does not exist or is not a directory. Fix: give --store "
                    + "the path of a directory holding faq.jsonl or faq.yaml").in(dir.toString());
        }
        String name = dir.getFileName() == null ? "store" : dir.getFileName().toString();
        try {
            return List.of(StoreReader.read(file -> {
                Path p = dir.resolve(file);
                return Files.isRegularFile(p) ? Optional.<InputStream>of(Files.newInputStream(p)) : Optional.empty();
            }, name));
        } catch (StoreException e) {
            throw e.in(dir.toString());
        }
    }

    @Override
    public String describe() {
        return "directory " + dir;
    }
}
