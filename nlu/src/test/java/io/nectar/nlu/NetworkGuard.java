package io.nectar.nlu;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every outgoing connection the JVM's networking stack makes: plain sockets
 * ({@code socket://host:port}), URL connections and the HTTP client all ask the default ProxySelector
 * before they connect. Installing it first thing in a JVM makes any attempt visible.
 */
final class NetworkGuard extends ProxySelector {

    final List<URI> attempts = new CopyOnWriteArrayList<>();

    static NetworkGuard install() {
        NetworkGuard g = new NetworkGuard();
        ProxySelector.setDefault(g);
        return g;
    }

    @Override
    public List<Proxy> select(URI uri) {
        attempts.add(uri);
        return List.of(Proxy.NO_PROXY);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
    }
}
