package io.nectar.gateway.pg;

import io.nectar.gateway.merchant.ApiKeys;
import io.nectar.gateway.merchant.StoreDocuments;
import io.nectar.gateway.merchant.StoreFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code ops/store}: merchants in PostgreSQL from the command line.
 * <pre>
 * ops/store import DIR --pg URL [--merchant ID] [--api-key KEY]
 * ops/store new-key MERCHANT --pg URL
 * ops/store key-hash KEY
 * ops/store add-agent MERCHANT --login LOGIN [--name NAME] --pg URL
 * ops/store password-hash            (the password on standard input)
 * </pre>
 */
public final class StoreTool {

    static final String USAGE = """
            Usage:
              ops/store import DIR --pg URL [--merchant ID] [--api-key KEY]
                  Loads the store directory DIR (store.yaml, faq.yaml, faq.jsonl, products.yaml, promotions.yaml,
                  flows.yaml, backend.yaml) into PostgreSQL as one merchant, replacing what the merchant had:
                  entries no longer in DIR are deleted. Every running node applies the change within a second.
                  The merchant id is store.yaml's 'merchant', else DIR's name (--merchant overrides both).
                  The merchant API key: --api-key KEY, else store.yaml's apiKeySha256, else the merchant's
                  current one; a new merchant with none gets a random key, printed once.
              ops/store new-key MERCHANT --pg URL
                  Gives the merchant a new random API key (printed once); the old one stops working at once.
              ops/store key-hash KEY
                  Prints the SHA-256 of a key, for store.yaml's apiKeySha256.
              ops/store add-agent MERCHANT --login LOGIN [--name NAME] --pg URL
                  Creates an agent who signs in to the workbench (/agent), or gives an existing one a new
                  password: a random one, printed once (only its hash is stored).
              ops/store password-hash
                  Reads a password from standard input and prints its hash, for an agent's passwordHash in
                  store.yaml (agents: [{login, name, passwordHash}]).
            --pg defaults to $NECTAR_PG_URL.
            """;

    private StoreTool() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.getenv("NECTAR_PG_URL"));
        } catch (IllegalArgumentException e) {
            System.err.println("ops/store: " + e.getMessage());
            System.err.print(USAGE);
            code = 2;
        } catch (Exception e) {
            Throwable c = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            System.err.println("ops/store: " + c.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    /** Runs one command; returns the exit code. */
    static int run(String[] args, PrintStream out, String pgFromEnv) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE);
            return 0;
        }
        String command = args[0];
        String positional = null;
        String pg = pgFromEnv;
        String merchant = null;
        String apiKey = null;
        String login = null;
        String name = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--pg" -> pg = value(args, ++i, a);
                case "--login" -> login = value(args, ++i, a);
                case "--name" -> name = value(args, ++i, a);
                case "--merchant" -> merchant = value(args, ++i, a);
                case "--api-key" -> apiKey = value(args, ++i, a);
                default -> {
                    if (a.startsWith("--") || positional != null) {
                        throw new IllegalArgumentException("unexpected argument '" + a + "'");
                    }
                    positional = a;
                }
            }
        }
        if (command.equals("password-hash")) {
            String password = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
                    .readLine();
            if (password == null || password.length() < 8) {
                throw new IllegalArgumentException("give a password of at least 8 characters on standard input");
            }
            out.println(io.nectar.gateway.auth.PasswordHashing.hash(password.toCharArray()));
            return 0;
        }
        if (positional == null) {
            throw new IllegalArgumentException(command + " needs an argument");
        }
        if (command.equals("key-hash")) {
            out.println(ApiKeys.hash(positional));
            return 0;
        }
        if (pg == null || pg.isBlank()) {
            throw new IllegalArgumentException("give --pg postgresql://user:password@host:port/database (or set NECTAR_PG_URL)");
        }
        if (apiKey != null && apiKey.strip().length() < 16) {
            throw new IllegalArgumentException("--api-key must be at least 16 characters (ops/store new-key makes a random one)");
        }
        return switch (command) {
            case "import" -> importStore(Path.of(positional), pg, merchant, apiKey, out);
            case "new-key" -> newKey(positional, pg, out);
            case "add-agent" -> addAgent(positional, login, name, pg, out);
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        };
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int importStore(Path dir, String pg, String merchant, String apiKey, PrintStream out) throws Exception {
        StoreDocuments docs = StoreFiles.directory(dir);
        if (merchant != null) {
            docs = merchant.equals(docs.merchantId()) ? docs : docs.withMerchantId(merchant);
        }
        StoreDocuments fdocs = docs;
        String keyHash = apiKey == null ? null : ApiKeys.hash(apiKey.strip());
        return withDatabase(pg, db -> db.withConnection(conn -> StoreImporter.importStore(conn, fdocs, keyHash, false)
                .compose(r -> {
                    out.printf("merchant %s %s (knowledge version %d): %d FAQ entries, %d products, %d promotions, %d flows%n",
                            r.merchant(), r.created() ? "imported" : "replaced", r.version(),
                            fdocs.ids(StoreDocuments.Kind.FAQ).size(), fdocs.ids(StoreDocuments.Kind.PRODUCT).size(),
                            fdocs.ids(StoreDocuments.Kind.PROMOTION).size(), fdocs.ids(StoreDocuments.Kind.FLOW).size());
                    if (r.hasApiKey()) {
                        return Future.succeededFuture(0);
                    }
                    String key = ApiKeys.generate();
                    return StoreImporter.setApiKey(conn, r.merchant(), ApiKeys.hash(key)).map(ok -> {
                        out.println("merchant API key of " + r.merchant() + " (shown once; only its hash is stored): " + key);
                        return 0;
                    });
                })));
    }

    private static int newKey(String merchant, String pg, PrintStream out) throws Exception {
        String key = ApiKeys.generate();
        return withDatabase(pg, db -> db.withConnection(conn -> StoreImporter.setApiKey(conn, merchant, ApiKeys.hash(key)).map(ok -> {
            if (!ok) {
                throw new IllegalArgumentException("no merchant '" + merchant + "' in this database");
            }
            out.println("new merchant API key of " + merchant + " (shown once; the old key no longer works): " + key);
            return 0;
        })));
    }

    private static int addAgent(String merchant, String login, String name, String pg, PrintStream out) throws Exception {
        if (!io.nectar.gateway.auth.Agent.validLogin(login)) {
            throw new IllegalArgumentException("--login must be 1-64 letters, digits, '.', '_', '-' or '@'");
        }
        String password = ApiKeys.generate().substring(3, 23);
        io.nectar.gateway.auth.Agent agent = new io.nectar.gateway.auth.Agent(merchant, login, name,
                io.nectar.gateway.auth.PasswordHashing.hash(password.toCharArray()));
        return withDatabase(pg, db -> db.withConnection(conn -> KnowledgeRows.merchant(conn, merchant).compose(row -> {
            if (row == null) {
                throw new IllegalArgumentException("no merchant '" + merchant + "' in this database");
            }
            return io.nectar.gateway.auth.PgAgentAccounts.put(conn, agent).map(v -> {
                out.println("agent " + agent.login() + " of " + merchant + " signs in at /agent with the password (shown once): " + password);
                return 0;
            });
        })));
    }

    private static int withDatabase(String url, java.util.function.Function<Database, Future<Integer>> work) throws Exception {
        Vertx vertx = Vertx.vertx();
        Database db = Database.create(vertx, url);
        try {
            return db.migrate(10_000).compose(applied -> work.apply(db)).toCompletionStage().toCompletableFuture()
                    .get(120, TimeUnit.SECONDS);
        } finally {
            db.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
