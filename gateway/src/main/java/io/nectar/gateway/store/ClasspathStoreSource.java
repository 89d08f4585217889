package io.nectar.gateway.store;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** A store carried as resources in the jar, such as the bundled demo store. */
public final class ClasspathStoreSource implements StoreSource {

    /** The demo shoe and apparel shop that {@code ops/run} serves by default. */
    public static final ClasspathStoreSource DEMO = new ClasspathStoreSource("demo-store", "demo");

    private final String folder;
    private final String defaultMerchantId;

    public ClasspathStoreSource(String folder, String defaultMerchantId) {
        this.folder = folder;
        this.defaultMerchantId = defaultMerchantId;
    }

    @Override
    public List<Store> load() {
        ClassLoader cl = ClasspathStoreSource.class.getClassLoader();
        try {
            return List.of(StoreReader.read(
                    file -> Optional.<InputStream>ofNullable(cl.getResourceAsStream(folder + "/" + file)), defaultMerchantId));
        } catch (StoreException e) {
            throw e.in("classpath:" + folder);
        }
    }

    @Override
    public String describe() {
        return "bundled store classpath:" + folder;
    }
}
