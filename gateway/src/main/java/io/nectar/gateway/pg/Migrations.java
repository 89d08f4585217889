package io.nectar.gateway.pg;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Versioned schema migrations: the files {@code db/migration/V<n>__<name>.sql} on the classpath, applied
 * in order of {@code n}, each once, each in its own transaction with its row in {@code schema_migrations}
 * (version, name, SHA-256 of the file, when). A migration already applied whose file has changed since
 * stops start-up: applied migrations are never edited, a new one is added.
 */
public final class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    static final String FOLDER = "db/migration";
    private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

    /** One migration file. */
    public record Migration(int version, String name, String sql, String checksum) {
    }

    /** A migration this call applied. */
    public record Applied(int version, String name) {
    }

    private Migrations() {
    }

    /** Every migration on the classpath, by version. */
    public static List<Migration> available() {
        List<Migration> out = new ArrayList<>();
        for (String file : files()) {
            Matcher m = NAME.matcher(file);
            if (!m.matches()) {
                throw new IllegalStateException(FOLDER + "/" + file + ": a migration is named V<number>__<name>.sql");
            }
            String sql;
            try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(FOLDER + "/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("cannot open " + FOLDER + "/" + file);
                }
                sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.add(new Migration(Integer.parseInt(m.group(1)), m.group(2), sql, sha256(sql)));
        }
        out.sort((a, b) -> Integer.compare(a.version(), b.version()));
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).version() == out.get(i - 1).version()) {
                throw new IllegalStateException("two migrations have version " + out.get(i).version());
            }
        }
        return out;
    }

    /** The file names in the migration folder, from a directory (IDE, tests) or the jar. */
    private static List<String> files() {
        URL url = Migrations.class.getClassLoader().getResource(FOLDER);
        if (url == null) {
            throw new IllegalStateException("no " + FOLDER + " on the classpath");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return list(fs.getPath(FOLDER));
                } catch (FileSystemAlreadyExistsException e) {
                    return list(FileSystems.getFileSystem(uri).getPath(FOLDER));
                }
            }
            return list(Path.of(uri));
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list " + FOLDER + ": " + e.getMessage(), e);
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }
    }

    /**
     * Applies what of {@code all} ({@link #available()}, read beforehand off the event loop) is pending on
     * {@code conn}; call it holding the start-up lock ({@link Database#underStartupLock}).
     */
    public static Future<List<Applied>> apply(SqlConnection conn, List<Migration> all) {
        return conn.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present").execute()
                .compose(r -> r.iterator().next().getBoolean("present") ? Future.succeededFuture()
                        : conn.query("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
                        + "checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())").execute())
                .compose(v -> conn.query("SELECT version, name, checksum FROM schema_migrations").execute())
                .compose(rows -> {
                    Map<Integer, Row> done = new HashMap<>();
                    rows.forEach(r -> done.put(r.getInteger("version"), r));
                    List<Migration> pending = new ArrayList<>();
                    for (Migration m : all) {
                        Row r = done.get(m.version());
                        if (r == null) {
                            pending.add(m);
                        } else if (!m.checksum().equals(r.getString("checksum"))) {
                            return Future.failedFuture(new IllegalStateException("migration V" + m.version() + "__" + m.name()
                                    + " was changed after it was applied to this database; add a new migration instead"));
                        }
                    }
                    int newest = all.isEmpty() ? 0 : all.get(all.size() - 1).version();
                    for (Integer v : done.keySet()) {
                        if (v > newest) {
                            return Future.failedFuture(new IllegalStateException("the database has schema version " + v
                                    + ", newer than this node knows (" + newest + "): upgrade the node"));
                        }
                    }
                    return applyAll(conn, pending, 0, new ArrayList<>());
                });
    }

    private static Future<List<Applied>> applyAll(SqlConnection conn, List<Migration> pending, int i, List<Applied> out) {
        if (i == pending.size()) {
            return Future.succeededFuture(out);
        }
        Migration m = pending.get(i);
        long t0 = System.nanoTime();
        return conn.begin().compose(tx -> conn.query(m.sql()).execute()
                        .compose(r -> conn.preparedQuery("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)")
                                .execute(Tuple.of(m.version(), m.name(), m.checksum())))
                        .compose(r -> tx.commit())
                        .recover(t -> tx.rollback().transform(ignored -> Future.<Void>failedFuture(
                                new IllegalStateException("migration V" + m.version() + "__" + m.name() + " failed: " + t.getMessage(), t)))))
                .compose(v -> {
                    log.info("schema migration V{}__{} applied in {} ms", m.version(), m.name(), (System.nanoTime() - t0) / 1_000_000);
                    out.add(new Applied(m.version(), m.name()));
                    return applyAll(conn, pending, i + 1, out);
                });
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
