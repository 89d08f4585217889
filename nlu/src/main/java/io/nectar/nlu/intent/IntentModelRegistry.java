package io.nectar.nlu.intent;

import io.nectar.nlu.NluException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The intent models being served, one per key (a merchant, or a merchant and language: the caller
 * decides), with their versions on disk under {@code root/<key>/v000001/}, {@code v000002/}, ….
 * <p>
 * {@link #publish} writes a trained model as the key's next version and swaps it in atomically: a call
 * that already holds the old model finishes on it, every later call sees the new one, and the old ONNX
 * session is closed once its last call returns. Versions are never overwritten, so a previous one can be
 * {@link #activate activated} again. Keys are walled off from each other: a key only ever resolves to its
 * own directory. Thread-safe; {@code publish}, {@code activate} and {@code loadLatest} do blocking file work.
 */
public final class IntentModelRegistry implements AutoCloseable {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._:-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("v\\d{6}");

    private final Path root;
    private final Map<String, IntentModel> live = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public IntentModelRegistry(Path root) {
        this.root = root;
    }

    /** Saves {@code model} as the key's next version, loads it and makes it current. Returns its directory. */
    public Path publish(String key, TrainedIntentModel model) {
        synchronized (lock(key)) {
            Path dir = keyDir(key).resolve(String.format("v%06d", latestVersion(key) + 1));
            try {
                Files.createDirectories(dir.getParent());
            } catch (IOException e) {
                throw new NluException(NluException.Code.MODEL, "cannot create " + dir.getParent() + ": " + e.getMessage(), e);
            }
            model.save(dir);
            swap(key, IntentModel.load(dir));
            return dir;
        }
    }

    /** Makes an existing version of the key current (a rollback, say). */
    public IntentModel activate(String key, String version) {
        if (!VERSION.matcher(version).matches()) {
            throw new NluException(NluException.Code.BAD_REQUEST, "bad version " + version);
        }
        synchronized (lock(key)) {
            Path dir = keyDir(key).resolve(version);
            if (!Files.isDirectory(dir)) {
                throw new NluException(NluException.Code.BAD_REQUEST, "no version " + version + " of " + key);
            }
            IntentModel m = IntentModel.load(dir);
            swap(key, m);
            return m;
        }
    }

    /** Loads the key's newest version from disk, if it has one, and makes it current. */
    public IntentModel loadLatest(String key) {
        synchronized (lock(key)) {
            int v = latestVersion(key);
            if (v == 0) {
                return null;
            }
            IntentModel m = IntentModel.load(keyDir(key).resolve(String.format("v%06d", v)));
            swap(key, m);
            return m;
        }
    }

    /** The key's current model, or {@code null}. */
    public IntentModel current(String key) {
        return live.get(checkKey(key));
    }

    /**
     * Classifies with the key's current model; {@code null} when the key has none. A swap during the call is
     * harmless: a model closed between lookup and use is looked up again.
     */
    public IntentResult classify(String key, Map<String, float[]> vectors, String text) {
        for (int attempt = 0; attempt < 3; attempt++) {
            IntentModel m = current(key);
            if (m == null) {
                return null;
            }
            try {
                return m.classify(vectors, text);
            } catch (NluException e) {
                if (e.code() != NluException.Code.CLOSED) {
                    throw e;
                }
            }
        }
        throw new NluException(NluException.Code.OVERLOADED, "intent model of " + key + " kept changing");
    }

    /** Versions of the key on disk, oldest first. */
    public List<String> versions(String key) {
        Path dir = keyDir(key);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<String> out = new ArrayList<>();
            s.map(p -> p.getFileName().toString()).filter(n -> VERSION.matcher(n).matches()).sorted().forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new NluException(NluException.Code.MODEL, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Stops serving the key (its files stay). */
    public void unload(String key) {
        IntentModel old = live.remove(checkKey(key));
        if (old != null) {
            old.close();
        }
    }

    public int size() {
        return live.size();
    }

    private void swap(String key, IntentModel m) {
        IntentModel old = live.put(key, m);
        if (old != null) {
            old.close();
        }
    }

    private int latestVersion(String key) {
        List<String> v = versions(key);
        return v.isEmpty() ? 0 : Integer.parseInt(v.get(v.size() - 1).substring(1));
    }

    private Object lock(String key) {
        return locks.computeIfAbsent(checkKey(key), k -> new Object());
    }

    private Path keyDir(String key) {
        return root.resolve(checkKey(key));
    }

    private static String checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new NluException(NluException.Code.BAD_REQUEST, "bad model key " + key
                    + " (letters, digits, and . _ : - after the first character; at most 128)");
        }
        return key;
    }

    @Override
    public void close() {
        for (String key : List.copyOf(live.keySet())) {
            unload(key);
        }
    }
}
