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
}
