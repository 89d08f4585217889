package io.nectar.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a tenant's content comes into memory and goes to disk: built from its source, read from its
 * snapshot file, written to it. Callers hold the tenant's lock; everything here is blocking (CPU and file
 * work) and runs on the index's I/O pool.
 */
final class TenantFiles {

    private static final Logger log = LoggerFactory.getLogger(TenantFiles.class);
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String SUFFIX = ".nidx";

    private final IndexConfig config;
    /** The index's live tenants: a tenant dropped meanwhile is not written back. */
    private final Map<String, Tenant> tenants;

    TenantFiles(IndexConfig config, Map<String, Tenant> tenants) {
        this.config = config;
        this.tenants = tenants;
    }

    /** Where the tenant's snapshot lives (null without a snapshot directory). */
    Path snapshotFile(String tenant) {
        if (config.snapshotDir() == null) {
            return null;
        }
        String name;
        if (PLAIN_NAME.matcher(tenant).matches()) {
            name = tenant;
        } else {
            StringBuilder sb = new StringBuilder("~");
            for (byte b : tenant.getBytes(StandardCharsets.UTF_8)) {
                sb.append(String.format("%02x", b & 0xff));
            }
            name = sb.toString();
        }
        return config.snapshotDir().resolve(name + SUFFIX);
    }

    /** The tenant's snapshot, checked to be its own. */
    Snapshots.Image read(Tenant t) throws IOException {
        Path file = snapshotFile(t.id);
        Snapshots.Image image = Snapshots.read(file, config.hnsw());
        if (!t.id.equals(image.tenant())) {
            throw new CorruptSnapshotException(file, "holds tenant " + image.tenant());
        }
        return image;
    }

    /** Builds the tenant's spaces from its source. */
    void build(Tenant t) {
        TenantSource source = t.source;
        if (source == null) {
            throw new IllegalStateException("tenant " + t.id + " has no source to rebuild from");
        }
        List<SpaceContent> content;
        try {
            content = source.build();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("building tenant " + t.id + " from source failed: " + e.getMessage(), e);
        }
        Map<String, Space> next = new LinkedHashMap<>();
        for (SpaceContent c : content) {
            next.put(c.space(), Space.build(c.space(), c.dimension(), config, c.entries()));
        }
        t.spaces = Map.copyOf(next);
        t.dirty = true;
        t.lastUsed = System.nanoTime();
    }

    /** Makes a snapshot's spaces the tenant's. */
    void install(Tenant t, Snapshots.Image image) {
        Map<String, Space> next = new LinkedHashMap<>();
        for (Snapshots.SpaceImage s : image.spaces()) {
            next.put(s.name(), Space.restore(s.name(), config, s.vectors()));
        }
        t.spaces = Map.copyOf(next);
        t.dirty = false;
        t.snapshotted = true;
        t.lastUsed = System.nanoTime();
    }

    /** Writes the tenant's snapshot. */
    void write(Tenant t) {
        Map<String, Space> spaces = t.spaces;
        if (spaces == null || config.snapshotDir() == null || tenants.get(t.id) != t) {
            return; // nothing to write, nowhere to write it, or dropped meanwhile (its file must stay deleted)
        }
        long t0 = System.nanoTime();
        List<Snapshots.SpaceImage> images = new ArrayList<>();
        for (Space s : spaces.values()) {
            images.add(new Snapshots.SpaceImage(s.name(), s.vectors()));
        }
        try {
            Snapshots.write(snapshotFile(t.id), new Snapshots.Image(t.id, t.sourceVersion, System.currentTimeMillis(), images));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the snapshot of " + t.id, e);
        }
        t.dirty = false;
        t.snapshotted = true;
        log.debug("tenant {}: snapshot written in {} ms", t.id, (System.nanoTime() - t0) / 1_000_000);
    }
}
