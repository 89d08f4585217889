package io.nectar.gateway.merchant;

import io.nectar.gateway.store.StoreException;
import io.nectar.gateway.store.StoreReader;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Store directories and bundled stores read as {@link StoreDocuments}, with errors named the way the
 * store sources name them (the directory, then the file and entry).
 */
public final class StoreFiles {

    /** The folder of the bundled demo store on the classpath, and its merchant id. */
    public static final String DEMO_FOLDER = "demo-store";
    public static final String DEMO_MERCHANT = "demo";

    private StoreFiles() {
    }

    /** A store directory; the merchant id defaults to the directory's name. Blocking. */
    public static StoreDocuments directory(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(d)) {
            throw StoreException.ofDirectory("the store directory does not exist or is not a directory. Fix: give --store "
                    + "the path of a directory holding faq.jsonl or faq.yaml").in(d.toString());
        }
        String name = d.getFileName() == null ? "store" : d.getFileName().toString();
        try {
            return StoreDocuments.read(file -> {
                Path p = d.resolve(file);
                return Files.isRegularFile(p) ? Optional.<InputStream>of(Files.newInputStream(p)) : Optional.empty();
            }, name);
        } catch (StoreException e) {
            throw e.in(d.toString());
        }
    }

    /** A store carried as resources in the jar. */
    public static StoreDocuments classpath(String folder, String defaultMerchantId) {
        ClassLoader cl = StoreFiles.class.getClassLoader();
        StoreReader.Files files = file -> Optional.ofNullable(cl.getResourceAsStream(folder + "/" + file));
        try {
            return StoreDocuments.read(files, defaultMerchantId);
        } catch (StoreException e) {
            throw e.in("classpath:" + folder);
        }
    }

    /** The bundled demo store. */
    public static StoreDocuments demo() {
        return classpath(DEMO_FOLDER, DEMO_MERCHANT);
    }
}
