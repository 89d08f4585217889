package io.nectar.gateway.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** store.yaml {@code brand} and {@code allowedOrigins}, product pictures and links, the {@code media/} folder. */
class StorefrontTest {

    static final String FAQ = "{\"id\":\"a\",\"question\":\"q?\",\"answer\":\"a.\",\"lang\":\"en\"}\n";

    private static Store read(Path tmp, String storeYaml, String productsYaml) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("shop"));
        Files.writeString(dir.resolve("faq.jsonl"), FAQ);
        Files.writeString(dir.resolve("store.yaml"), storeYaml);
        if (productsYaml != null) {
            Files.writeString(dir.resolve("products.yaml"), productsYaml);
        }
        return new DirectoryStoreSource(dir).load().get(0);
    }

    private static String error(Path tmp, String storeYaml, String productsYaml) {
        return assertThrows(StoreException.class, () -> read(tmp, storeYaml, productsYaml)).getMessage();
    }

    @Test
    void brandPicturesAndLinksAreReadAndMediaKeptInMemory(@TempDir Path tmp) throws IOException {
        Path media = Files.createDirectories(tmp.resolve("shop/media/products"));
        byte[] logo = "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes();
        Files.write(media.getParent().resolve("logo.svg"), logo);
        Files.write(media.resolve("boot.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Store s = read(tmp, "brand: {color: \"#1D4ED8\", logo: logo.svg}\nallowedOrigins: [\"https://Shop.example/\"]\n",
                "- sku: B-1\n  title: {en: Boot}\n  price: 10\n  image: products/boot.png\n  url: https://shop.example/b-1\n"
                        + "  variants: [{size: '40', stock: 1}]\n"
                        + "- sku: B-2\n  title: {en: Other}\n  price: 10\n  image: https://cdn.example/b2.jpg\n"
                        + "  variants: [{size: '40', stock: 1}]\n");
        Storefront f = s.storefront();
        assertEquals("#1d4ed8", f.color());
        assertEquals("logo.svg", f.logo());
        assertEquals("/media/shop/logo.svg", Storefront.url("shop", f.logo()));
        assertArrayEquals(logo, f.media().get("logo.svg").bytes());
        assertEquals("image/svg+xml", f.media().get("logo.svg").contentType());
        assertEquals("image/png", f.media().get("products/boot.png").contentType());
        assertEquals(2, f.media().size(), "URLs are not loaded");
        assertEquals("https://shop.example/b-1", s.product("B-1").url());
        assertEquals("https://cdn.example/b2.jpg", Storefront.url("shop", s.product("B-2").image()));
        assertEquals(List.of("https://shop.example"), f.allowedOrigins());
    }

    @Test
    void aStoreWithoutThemHasNoBrandAndAllowsAnyOrigin(@TempDir Path tmp) throws IOException {
        Store s = read(tmp, "name: {en: Shop}\n", null);
        assertNull(s.storefront().color());
        assertNull(s.storefront().logo());
        assertTrue(s.storefront().allowsOrigin("https://anywhere.example", "gateway:8080"));
    }

    @Test
    void originsAreCheckedByTheList(@TempDir Path tmp) throws IOException {
        Storefront f = read(tmp, "allowedOrigins: [\"https://shop.example\", \"http://localhost:3000\"]\n", null).storefront();
        assertTrue(f.allowsOrigin("https://shop.example", "chat.example"));
        assertTrue(f.allowsOrigin("HTTPS://SHOP.EXAMPLE", "chat.example"));
        assertTrue(f.allowsOrigin("http://localhost:3000", "chat.example"));
        assertFalse(f.allowsOrigin("http://localhost:3001", "chat.example"));
        assertFalse(f.allowsOrigin("https://shop.example.evil.example", "chat.example"));
        assertFalse(f.allowsOrigin("null", "chat.example"), "a sandboxed page or a file");
        assertTrue(f.allowsOrigin(null, "chat.example"), "no Origin: an app");
        assertTrue(f.allowsOrigin("https://chat.example", "chat.example"), "the gateway's own page");
    }

    @Test
    void mistakesAreNamedWithTheirFix(@TempDir Path tmp) throws IOException {
        assertTrue(error(tmp, "brand: {color: red}\n", null).contains("brand.color must be a colour like \"#e8590c\""));
        assertTrue(error(tmp, "brand: {logo: logo.svg}\n", null).contains("brand.logo: the store has no file media/logo.svg"));
        assertTrue(error(tmp, "brand: {logo: ../store.yaml}\n", null).contains("must be an http(s) URL or a file name"));
        assertTrue(error(tmp, "brand: {logo: /etc/passwd.png}\n", null).contains("must be an http(s) URL or a file name"));
        assertTrue(error(tmp, "brand: {logo: logo.txt}\n", null).contains("must be one of .gif, .jpeg, .jpg, .png, .svg, .webp"));
        assertTrue(error(tmp, "brand: blue\n", null).contains("'brand' must be a mapping"));
        assertTrue(error(tmp, "allowedOrigins: [\"https://shop.example/path\"]\n", null).contains("is not an origin like https://shop.example"));
        assertTrue(error(tmp, "allowedOrigins: https://shop.example\n", null).contains("'allowedOrigins' must be a list"));
        assertTrue(error(tmp, "name: {en: S}\n", "- sku: P\n  title: {en: P}\n  price: 1\n  url: \"javascript:alert(1)\"\n"
                + "  variants: [{size: '1', stock: 1}]\n").contains("products.yaml product 'P': 'url' must be an http(s) URL"));
        Files.delete(tmp.resolve("shop/products.yaml"));
        Files.createDirectories(tmp.resolve("shop/media"));
        Files.write(tmp.resolve("shop/media/big.png"), new byte[Storefront.MAX_MEDIA_BYTES + 1]);
        assertTrue(error(tmp, "brand: {logo: big.png}\n", null).contains("media/big.png is larger than 1024 KiB"));
    }
}
