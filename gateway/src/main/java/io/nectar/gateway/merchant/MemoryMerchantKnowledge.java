package io.nectar.gateway.merchant;

import io.nectar.gateway.knowledge.KnowledgeBase;
import io.nectar.gateway.store.SmallTalk;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.StoreSource;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The embedded mode's merchant knowledge: the store directories (or the bundled demo) read at start-up,
 * edited in this node's memory. An edit is live at once and lost at a restart (the files are never
 * written). Edits run one at a time on the {@code merchant-edits} thread (re-embedding the changed entries
 * is blocking).
 */
public final class MemoryMerchantKnowledge implements MerchantKnowledge {

    private static final Logger log = LoggerFactory.getLogger(MemoryMerchantKnowledge.class);

    private record State(StoreDocuments docs, long version) {
    }

    private final List<Path> stores;
    private final Map<String, State> merchants = new ConcurrentHashMap<>();
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor edits;
    private volatile KnowledgeBase knowledge;
    private volatile Consumer<Store> warmUp = s -> { };

    /** @param stores store directories; empty: the bundled demo store */
    public MemoryMerchantKnowledge(List<Path> stores) {
        this.stores = List.copyOf(stores);
        this.edits = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "merchant-edits");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public StoreSource source() {
        return new StoreSource() {
            @Override
            public List<Store> load() {
                List<Store> out = new ArrayList<>();
                List<StoreDocuments> all = new ArrayList<>();
                if (stores.isEmpty()) {
                    all.add(StoreFiles.demo());
                } else {
                    stores.forEach(p -> all.add(StoreFiles.directory(p)));
                }
                for (StoreDocuments d : all) {
                    out.add(d.toStore());
                    merchants.put(d.merchantId(), new State(d, 1));
                    if (d.apiKeyHash() != null) {
                        keys.put(d.apiKeyHash(), d.merchantId());
                    }
                }
                return out;
            }

            @Override
            public String describe() {
                return stores.isEmpty() ? "bundled demo store" : "store directories " + stores;
            }
        };
    }

    @Override
    public void attach(KnowledgeBase kb, Consumer<Store> warm) {
        this.knowledge = kb;
        this.warmUp = warm;
    }

    @Override
    public String authenticate(String apiKey) {
        return keys.get(ApiKeys.hash(apiKey));
    }

    @Override
    public io.vertx.core.json.JsonObject settings(String merchant) {
        State s = merchant == null ? null : merchants.get(merchant);
        return s == null ? null : s.docs().settings();
    }

    @Override
    public Future<Listing> list(String merchant, StoreDocuments.Kind kind) {
        State s = merchants.get(merchant);
        if (s == null) {
            return Future.failedFuture(new EditRejected(404, "no merchant '" + merchant + "'"));
        }
        return Future.succeededFuture(new Listing(s.version(), s.docs().items(kind)));
    }

    @Override
    public Future<Change> change(String merchant, Edit edit) {
        Context context = Vertx.currentContext();
        CompletableFuture<Change> done = new CompletableFuture<>();
        try {
            edits.execute(() -> {
                try {
                    done.complete(apply(merchant, edit));
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(new EditRejected(503, "too many edits waiting; retry shortly"));
        }
        return context == null ? Future.fromCompletionStage(done) : Future.fromCompletionStage(done, context);
    }

    private Change apply(String merchant, Edit edit) {
        State s = merchants.get(merchant);
        KnowledgeBase kb = knowledge;
        if (s == null || kb == null) {
            throw new EditRejected(404, "no merchant '" + merchant + "'");
        }
        MerchantEdits.Applied a = MerchantEdits.apply(s.docs(), edit);
        Store store = SmallTalk.addTo(a.store());
        kb.update(store);
        warmUp.accept(store);
        long version = s.version() + 1;
        merchants.put(merchant, new State(a.docs(), version));
        log.info("merchant {}: {} '{}' {} (in memory; lost at restart)", merchant, edit.kind().noun(), edit.id(),
                a.after() == null ? "deleted" : a.before() == null ? "created" : "replaced");
        return new Change(edit.kind(), edit.id(), a.after(), a.before() == null, version);
    }

    @Override
    public void close() {
        edits.shutdownNow();
    }
}
