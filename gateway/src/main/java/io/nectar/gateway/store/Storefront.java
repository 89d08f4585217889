package io.nectar.gateway.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a store looks and where its chat may be embedded: the brand colour and logo of {@code store.yaml},
 * the web origins allowed to open its chat, and the media files (logo, product images) the gateway
 * serves at {@code /media/<merchant>/<file>}, read into memory when the store loads. Immutable.
 *
 * @param color          brand colour, {@code #rgb} or {@code #rrggbb}, or {@code null} for the default
 * @param logo           the logo: an http(s) URL or a file of the {@code media/} folder (see {@link #url}); or {@code null}
 * @param allowedOrigins origins ({@code https://shop.example}) whose pages may open the chat; empty: any
 * @param media          file name in the store's {@code media/} folder → its content
 */
public record Storefront(String color, String logo, List<String> allowedOrigins, Map<String, Media> media) {

    public static final Storefront NONE = new Storefront(null, null, List.of(), Map.of());
    /** The folder of a store directory that holds its logo and product images. */
    public static final String MEDIA_DIR = "media";
    /** Largest media file a store may have. */
    public static final int MAX_MEDIA_BYTES = 1 << 20;
    private static final Pattern COLOR = Pattern.compile("#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}(/[A-Za-z0-9][A-Za-z0-9._-]{0,127}){0,3}");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:\\d{1,5})?");
    private static final Map<String, String> TYPES = Map.of("svg", "image/svg+xml", "png", "image/png",
            "jpg", "image/jpeg", "jpeg", "image/jpeg", "gif", "image/gif", "webp", "image/webp");

    /** A media file's bytes and content type. */
    public record Media(String contentType, byte[] bytes) {
    }

    public Storefront {
        allowedOrigins = List.copyOf(allowedOrigins);
        media = Map.copyOf(media);
    }

    /**
     * Whether a page of {@code origin} may open this store's chat. No {@code Origin} (an app, a script)
     * and the gateway's own pages (the origin's host and port are the request's {@code host}) always may;
     * others only when listed, if a list is set.
     */
    public boolean allowsOrigin(String origin, String host) {
        if (origin == null || allowedOrigins.isEmpty()) {
            return true;
        }
        int scheme = origin.indexOf("://");
        if (host != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host)) {
            return true;
        }
        return allowedOrigins.contains(origin.toLowerCase(Locale.ROOT));
    }

    /**
     * Where a client fetches an image the store names: an http(s) URL as is, a media file at
     * {@code /media/<merchant>/<file>} on the gateway (clients resolve it against the gateway's origin).
     */
    public static String url(String merchant, String image) {
        if (image == null || isHttpUrl(image)) {
            return image;
        }
        return "/media/" + merchant + "/" + image;
    }

    /** Reads {@code brand} and {@code allowedOrigins} of store.yaml and loads the media files they and the products name. */
    static Storefront read(JsonNode store, List<Product> products, StoreReader.Files files) {
        Map<String, Media> media = new LinkedHashMap<>();
        String color = null;
        String logo = null;
        JsonNode brand = store.get("brand");
        if (brand != null && !brand.isNull()) {
            if (!brand.isObject()) {
                throw new StoreException(StoreReader.STORE + ": 'brand' must be a mapping, e.g. {color: \"#e8590c\", logo: logo.svg}");
            }
            JsonNode c = brand.get("color");
            if (c != null && !c.isNull()) {
                if (!COLOR.matcher(c.asText()).matches()) {
                    throw new StoreException(StoreReader.STORE + ": brand.color must be a colour like \"#e8590c\" (quoted), was '"
                            + c.asText() + "'");
                }
                color = c.asText().toLowerCase(Locale.ROOT);
            }
            JsonNode l = brand.get("logo");
            if (l != null && !l.isNull()) {
                logo = image(l.asText(), StoreReader.STORE + " brand.logo", files, media);
            }
        }
        List<String> origins = new ArrayList<>();
        JsonNode o = store.get("allowedOrigins");
        if (o != null && !o.isNull()) {
            if (!o.isArray()) {
                throw new StoreException(StoreReader.STORE + ": 'allowedOrigins' must be a list like [\"https://shop.example\"]");
            }
            for (JsonNode x : o) {
                String origin = x.asText().strip().toLowerCase(Locale.ROOT);
                if (origin.endsWith("/")) {
                    origin = origin.substring(0, origin.length() - 1);
                }
                if (!ORIGIN.matcher(origin).matches()) {
                    throw new StoreException(StoreReader.STORE + ": allowedOrigins: '" + x.asText()
                            + "' is not an origin like https://shop.example or http://localhost:3000 (no path)");
                }
                origins.add(origin);
            }
        }
        for (Product p : products) {
            String where = StoreReader.PRODUCTS + " product '" + p.sku() + "'";
            if (p.image() != null) {
                image(p.image(), where + " image", files, media);
            }
            if (p.url() != null && !isHttpUrl(p.url())) {
                throw new StoreException(where + ": 'url' must be an http(s) URL, was '" + p.url() + "'");
            }
        }
        return new Storefront(color, logo, origins, media);
    }

    /** Checks an http(s) URL, or loads a file of the store's media folder; returns the value as written (stripped). */
    private static String image(String value, String where, StoreReader.Files files, Map<String, Media> media) {
        String v = value.strip();
        if (v.startsWith("http://") || v.startsWith("https://")) {
            if (!isHttpUrl(v)) {
                throw new StoreException(where + ": '" + v + "' is not a valid URL");
            }
            return v;
        }
        if (!FILE.matcher(v).matches() || v.contains("..")) {
            throw new StoreException(where + ": '" + v + "' must be an http(s) URL or a file name in the store's "
                    + MEDIA_DIR + "/ folder (letters, digits, '.', '_', '-')");
        }
        String ext = v.substring(v.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String type = TYPES.get(ext);
        if (type == null) {
            throw new StoreException(where + ": '" + v + "' must be one of ." + String.join(", .", new java.util.TreeSet<>(TYPES.keySet())));
        }
        if (!media.containsKey(v)) {
            media.put(v, new Media(type, load(files, v, where)));
        }
        return v;
    }

    private static byte[] load(StoreReader.Files files, String name, String where) {
        String path = MEDIA_DIR + "/" + name;
        try {
            Optional<InputStream> in = files.open(path);
            if (in.isEmpty()) {
                throw new StoreException(where + ": the store has no file " + path);
            }
            try (InputStream s = in.get()) {
                byte[] bytes = s.readNBytes(MAX_MEDIA_BYTES + 1);
                if (bytes.length > MAX_MEDIA_BYTES) {
                    throw new StoreException(where + ": " + path + " is larger than " + (MAX_MEDIA_BYTES >> 10) + " KiB");
                }
                return bytes;
            }
        } catch (IOException e) {
            throw new StoreException(where + ": cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    static boolean isHttpUrl(String s) {
        try {
            URI u = new URI(s);
            return u.getHost() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
