package io.nectar.gateway.support;

import io.nectar.gateway.store.Store;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/** Comparing stores in tests. */
public final class Stores {

    private Stores() {
    }

    /**
     * Whether two stores hold the same content: records compared part by part, maps as maps (the order of
     * a JSON object's keys is not content), lists in order, regular expressions by their text.
     */
    public static void assertSameStore(Store expected, Store actual) {
        String diff = diff("store", expected, actual);
        if (diff != null) {
            fail("stores differ at " + diff);
        }
    }

    private static String diff(String path, Object a, Object b) {
        if (a == null || b == null) {
            return a == b ? null : path + ": " + a + " vs " + b;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return java.util.Arrays.equals(x, y) ? null : path + ": " + x.length + " bytes vs " + y.length + " bytes";
        }
        if (a instanceof Pattern p && b instanceof Pattern q) {
            return p.pattern().equals(q.pattern()) ? null : path + ": /" + p + "/ vs /" + q + "/";
        }
        if (a instanceof Record && a.getClass() == b.getClass()) {
            for (RecordComponent c : a.getClass().getRecordComponents()) {
                try {
                    String d = diff(path + "." + c.getName(), c.getAccessor().invoke(a), c.getAccessor().invoke(b));
                    if (d != null) {
                        return d;
                    }
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
            return null;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return path + ": " + x.size() + " items vs " + y.size();
            }
            for (int i = 0; i < x.size(); i++) {
                String d = diff(path + "[" + i + "]", x.get(i), y.get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return path + ": keys " + x.keySet() + " vs " + y.keySet();
            }
            for (Object k : x.keySet()) {
                String d = diff(path + "." + k, x.get(k), y.get(k));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return Objects.equals(a, b) ? null : path + ": " + a + " vs " + b;
    }

    /** Copies the bundled demo store (every file, media included) into {@code dir}; returns it. */
    public static java.nio.file.Path copyDemo(java.nio.file.Path dir) throws Exception {
        java.nio.file.Path src = java.nio.file.Path.of(Stores.class.getClassLoader().getResource("demo-store").toURI());
        try (var files = java.nio.file.Files.walk(src)) {
            for (java.nio.file.Path f : files.toList()) {
                java.nio.file.Path to = dir.resolve(src.relativize(f).toString());
                if (java.nio.file.Files.isDirectory(f)) {
                    java.nio.file.Files.createDirectories(to);
                } else {
                    java.nio.file.Files.copy(f, to);
                }
            }
        }
        return dir;
    }
}
