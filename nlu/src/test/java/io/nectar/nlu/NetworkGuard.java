package io.nectar.nlu;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records, and refuses, every outgoing connection of the JVM's networking stack. Two hooks: the default
 * {@link ProxySelector}, which URL connections and the HTTP client consult before connecting, and a
 * {@link Socket#setSocketImplFactory socket factory}, which sees sockets that skip proxy selection (a URL
 * opened with {@code Proxy.NO_PROXY}, as DJL's telemetry does, or {@code new Socket(Proxy.NO_PROXY)}).
 * Not seen: NIO channels opened directly and native code; nothing in this library's dependencies uses them
 * for network access. Install it first thing in a fresh JVM.
 */
final class NetworkGuard extends ProxySelector {

    final List<String> attempts = new CopyOnWriteArrayList<>();

    static NetworkGuard install() throws IOException {
        NetworkGuard g = new NetworkGuard();
        ProxySelector.setDefault(g);
        Socket.setSocketImplFactory(() -> g.new RefusingSocketImpl());
        return g;
    }

    @Override
    public List<Proxy> select(URI uri) {
        attempts.add("proxy-selector " + uri);
        return List.of(Proxy.NO_PROXY);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
    }

    /** A socket that records where it was asked to connect and refuses. */
    private final class RefusingSocketImpl extends SocketImpl {

        private ConnectException refuse(String where) {
            attempts.add("socket " + where);
            return new ConnectException("network access refused by test guard: " + where);
        }

        @Override
        protected void create(boolean stream) {
        }

        @Override
        protected void connect(String host, int port) throws IOException {
            throw refuse(host + ":" + port);
        }

        @Override
        protected void connect(InetAddress address, int port) throws IOException {
            throw refuse(address + ":" + port);
        }

        @Override
        protected void connect(SocketAddress address, int timeout) throws IOException {
            throw refuse(String.valueOf(address));
        }

        @Override
        protected void bind(InetAddress host, int port) throws IOException {
            throw refuse("bind " + host + ":" + port);
        }

        @Override
        protected void listen(int backlog) throws IOException {
            throw refuse("listen");
        }

        @Override
        protected void accept(SocketImpl s) throws IOException {
            throw refuse("accept");
        }

        @Override
        protected InputStream getInputStream() throws IOException {
            throw new IOException("not connected");
        }

        @Override
        protected OutputStream getOutputStream() throws IOException {
            throw new IOException("not connected");
        }

        @Override
        protected int available() {
            return 0;
        }

        @Override
        protected void close() {
        }

        @Override
        protected void sendUrgentData(int data) throws IOException {
            throw new IOException("not connected");
        }

        @Override
        public void setOption(int optID, Object value) {
        }

        @Override
        public Object getOption(int optID) {
            return null;
        }
    }
}
