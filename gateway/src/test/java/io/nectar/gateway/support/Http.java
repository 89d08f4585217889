package io.nectar.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/** Blocking HTTP calls for tests: a real client on a real socket. */
public final class Http {

    /** A response: status, the {@code WWW-Authenticate} header, and the body (as JSON when it is a JSON object). */
    public record Response(int status, String authenticate, String text) {
        public JsonObject json() {
            return new JsonObject(text);
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    private final HttpClient client;

    public Http(Vertx vertx) {
        this.client = vertx.createHttpClient();
    }

    public Response call(HttpMethod method, int port, String path, String bearer, String body) throws Exception {
        RequestOptions o = new RequestOptions().setMethod(method).setHost("localhost").setPort(port).setURI(path);
        if (bearer != null) {
            o.putHeader("authorization", "Bearer " + bearer);
        }
        if (body != null) {
            o.putHeader("content-type", "application/json");
        }
        return client.request(o)
                .compose(req -> (body == null ? req.send() : req.send(Buffer.buffer(body)))
                        .compose(r -> r.body().map(b -> new Response(r.statusCode(), r.getHeader("www-authenticate"), b.toString()))))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    public Response get(int port, String path, String bearer) throws Exception {
        return call(HttpMethod.GET, port, path, bearer, null);
    }

    public Response put(int port, String path, String bearer, JsonObject body) throws Exception {
        return call(HttpMethod.PUT, port, path, bearer, body.encode());
    }

    public Response delete(int port, String path, String bearer) throws Exception {
        return call(HttpMethod.DELETE, port, path, bearer, null);
    }
}
