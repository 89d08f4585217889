package io.nectar.gateway.store;

import java.util.List;

/**
 * Where merchants' knowledge comes from. Today: store directories and the bundled demo; later a
 * database. {@link #load()} is blocking file or network work: call it from a worker thread.
 */
public interface StoreSource {

    /** Reads every store this source holds; fails with {@link StoreException} naming what is wrong. */
    List<Store> load();

    /** Human-readable description for logs ("directory /srv/stores/acme", "bundled demo store"). */
    String describe();
}
