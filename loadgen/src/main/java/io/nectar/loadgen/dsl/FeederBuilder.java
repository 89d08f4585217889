package io.nectar.loadgen.dsl;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * How to load and sample a feeder: immutable, so every method returns a new builder. {@link #build()}
 * reads the source (call it off the event loop; the engine does so before a run).
 *
 * <pre>{@code
 * Feeders.jsonl(Path.of("../shared/datasets/clinc150/validation.jsonl")).require("text").zipf(1.1)
 * }</pre>
 */
public record FeederBuilder(String name, Source source, List<String> required, Map<String, String> renames,
                            Feeder.Strategy strategy, double zipfExponent, long seed) {

    /** Where records come from. */
    @FunctionalInterface
    public interface Source {
        List<Map<String, Object>> read() throws IOException;
    }

    public static final double DEFAULT_ZIPF_EXPONENT = io.nectar.loadgen.LoadgenDefaults.ZIPF_EXPONENT;
    public static final long DEFAULT_SEED = io.nectar.loadgen.LoadgenDefaults.SEED;

    public FeederBuilder {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        required = List.copyOf(required);
        renames = Map.copyOf(renames);
        Objects.requireNonNull(strategy, "strategy");
        if (!(zipfExponent > 0)) {
            throw new IllegalArgumentException("zipf exponent must be > 0, was " + zipfExponent);
        }
    }

    static FeederBuilder of(String name, Source source) {
        return new FeederBuilder(name, source, List.of(), Map.of(), Feeder.Strategy.CIRCULAR, DEFAULT_ZIPF_EXPONENT, DEFAULT_SEED);
    }

    /** Keep only records with a non-blank value for {@code field} (after renames). */
    public FeederBuilder require(String field) {
        List<String> r = new ArrayList<>(required);
        r.add(field);
        return new FeederBuilder(name, source, r, renames, strategy, zipfExponent, seed);
    }

    /** Expose the source's field {@code from} as the attribute {@code to} (e.g. {@code text_a} as {@code text}). */
    public FeederBuilder rename(String from, String to) {
        Map<String, String> r = new LinkedHashMap<>(renames);
        r.put(from, to);
        return new FeederBuilder(name, source, required, r, strategy, zipfExponent, seed);
    }

    public FeederBuilder circular() {
        return new FeederBuilder(name, source, required, renames, Feeder.Strategy.CIRCULAR, zipfExponent, seed);
    }

    public FeederBuilder uniform() {
        return new FeederBuilder(name, source, required, renames, Feeder.Strategy.UNIFORM, zipfExponent, seed);
    }

    /**
     * Zipf-skewed picks: the record of rank k is picked with probability proportional to 1/k^exponent.
     * Ranks are a seeded shuffle of the records, so the popular questions are not just the file's first lines.
     */
    public FeederBuilder zipf(double exponent) {
        return new FeederBuilder(name, source, required, renames, Feeder.Strategy.ZIPF, exponent, seed);
    }

    /** Seed of the rank shuffle (same seed, same popular questions in every process of a run). */
    public FeederBuilder seed(long s) {
        return new FeederBuilder(name, source, required, renames, strategy, zipfExponent, s);
    }

    /** Reads the source and returns the feeder; fails with a clear message on a bad or empty source. */
    public Feeder build() {
        List<Map<String, Object>> raw;
        try {
            raw = source.read();
        } catch (IOException e) {
            throw new UncheckedIOException("feeder " + name + ": " + e.getMessage(), e);
        }
        List<Map<String, Object>> records = new ArrayList<>(raw.size());
        for (Map<String, Object> r : raw) {
            Map<String, Object> m = new LinkedHashMap<>(r);
            renames.forEach((from, to) -> {
                if (m.containsKey(from)) {
                    m.put(to, m.remove(from));
                }
            });
            boolean ok = true;
            for (String f : required) {
                Object v = m.get(f);
                if (v == null || v.toString().isBlank()) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                records.add(Collections.unmodifiableMap(m));
            }
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException("feeder " + name + " has no records" + (required.isEmpty() ? "" : " with " + required));
        }
        if (strategy == Feeder.Strategy.ZIPF) {
            Collections.shuffle(records, new Random(seed));
        }
        return new Feeder(name, records, strategy, zipfExponent);
    }

    static List<Map<String, Object>> readJsonl(String name, Reader reader) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(reader)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(new JsonObject(line).getMap());
                } catch (DecodeException | ClassCastException e) {
                    throw new IOException(name + " line " + n + " is not a JSON object");
                }
            }
        }
        return out;
    }

    static List<Map<String, Object>> readCsv(Reader reader) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get();
        try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            for (CSVRecord rec : parser) {
                out.add(new LinkedHashMap<>(rec.toMap()));
            }
        }
        return out;
    }

    static Source jsonlFile(Path path) {
        return () -> readJsonl(path.toString(), Files.newBufferedReader(path, StandardCharsets.UTF_8));
    }

    static Source csvFile(Path path) {
        return () -> readCsv(Files.newBufferedReader(path, StandardCharsets.UTF_8));
    }

    static Source jsonlResource(String resource) {
        return () -> {
            InputStream in = FeederBuilder.class.getResourceAsStream(resource);
            if (in == null) {
                throw new IOException("no resource " + resource);
            }
            return readJsonl(resource, new InputStreamReader(in, StandardCharsets.UTF_8));
        };
    }
}
