package io.nectar.gateway.knowledge;

import io.nectar.gateway.store.FaqEntry;
import io.nectar.gateway.store.Flow;
import io.nectar.gateway.store.Product;
import io.nectar.gateway.store.Promotion;
import io.nectar.gateway.store.Store;
import io.nectar.index.EntryKind;
import io.nectar.index.IndexEntry;
import io.nectar.index.SpaceContent;
import io.nectar.nlu.encoder.Vectors;
import io.nectar.nlu.exec.EncoderExecutor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a store puts in its merchant's index: one line per FAQ phrasing, flow trigger, product title and
 * keywords, and promotion name, grouped by the encoder space of its language; a version that names that
 * content (so an unchanged store reads its snapshot), and the embedding of the lines into index entries
 * (an FAQ entry's or flow's phrasings in one language become one prototype, decision 4).
 */
final class StoreIndexContent {

    private StoreIndexContent() {
    }

    record Line(String id, String target, EntryKind kind, String lang, String text) {
    }

    static Map<String, List<Line>> lines(Store store, EncoderRouter router) {
        Map<String, List<Line>> bySpace = new LinkedHashMap<>();
        for (FaqEntry f : store.faqs()) {
            f.questions().forEach((lang, qs) -> {
                for (String q : qs) {
                    add(bySpace, router, lang, new Line("faq:" + f.id() + ":" + lang, f.id(), EntryKind.FAQ, lang, q));
                }
            });
        }
        for (Product p : store.products()) {
            p.title().texts().forEach((lang, title) -> {
                // the SKU beside the title: "SH-LS-001" or a variant's "SH-LS-001-BLK-42" finds its product
                add(bySpace, router, lang, new Line("product:" + p.sku() + ":" + lang + ":title", p.sku(), EntryKind.PRODUCT, lang,
                        p.sku() + "\n" + title));
                List<String> kw = p.keywords().get(lang);
                if (kw != null && !kw.isEmpty()) {
                    add(bySpace, router, lang, new Line("product:" + p.sku() + ":" + lang + ":kw", p.sku(), EntryKind.PRODUCT, lang,
                            title + " " + String.join(" ", kw)));
                }
            });
        }
        for (Promotion p : store.promotions()) {
            p.name().texts().forEach((lang, name) ->
                    add(bySpace, router, lang, new Line("promotion:" + p.id() + ":" + lang + ":name", p.id(), EntryKind.PROMOTION, lang, name)));
        }
        for (Flow f : store.flows().flows()) {
            f.phrasings().forEach((lang, qs) -> {
                for (String q : qs) {
                    add(bySpace, router, lang, new Line("flow:" + f.id() + ":" + lang, f.id(), EntryKind.FLOW, lang, q));
                }
            });
        }
        return bySpace;
    }

    private static void add(Map<String, List<Line>> bySpace, EncoderRouter router, String lang, Line line) {
        bySpace.computeIfAbsent(router.encoderFor(lang), k -> new ArrayList<>()).add(line);
    }

    /** Identifies the index content: every line and the encoder of its space. */
    static String version(Map<String, List<Line>> bySpace, String layout) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(layout.getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, List<Line>> space : bySpace.entrySet()) {
                md.update(("\u0001" + space.getKey()).getBytes(StandardCharsets.UTF_8));
                for (Line l : space.getValue()) {
                    md.update(("\u0002" + l.id() + "\u0000" + l.target() + "\u0000" + l.kind() + "\u0000" + l.lang()
                            + "\u0000" + l.text()).getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Embeds every line (blocking; runs on the index's I/O thread when no snapshot can be used). */
    static List<SpaceContent> embed(EncoderExecutor encoders, Map<String, List<Line>> bySpace) {
        List<SpaceContent> out = new ArrayList<>();
        for (Map.Entry<String, List<Line>> space : bySpace.entrySet()) {
            List<Line> ls = space.getValue();
            List<float[]> vectors = encoders.encodeAllBlocking(space.getKey(), ls.stream().map(Line::text).toList());
            out.add(new SpaceContent(space.getKey(), encoders.encoder(space.getKey()).dimension(), entries(ls, vectors)));
        }
        return out;
    }

    /**
     * Index entries for encoded lines. All phrasings of one FAQ entry (or flow) in one language become a
     * single entry at their normalised mean (a prototype; decision 4), with every phrasing in its text for
     * the lexical side.
     */
    static List<IndexEntry> entries(List<Line> lines, List<float[]> vectors) {
        Map<String, float[]> sums = new LinkedHashMap<>();
        Map<String, Line> firsts = new LinkedHashMap<>();
        Map<String, StringBuilder> texts = new LinkedHashMap<>();
        List<IndexEntry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            float[] v = vectors.get(i);
            if (l.kind() != EntryKind.FAQ && l.kind() != EntryKind.FLOW) {
                out.add(new IndexEntry(l.id(), l.target(), l.kind(), l.lang(), l.text(), v));
                continue;
            }
            firsts.putIfAbsent(l.id(), l);
            StringBuilder text = texts.computeIfAbsent(l.id(), k -> new StringBuilder());
            text.append(text.length() == 0 ? "" : "\n").append(l.text());
            float[] sum = sums.computeIfAbsent(l.id(), k -> new float[v.length]);
            for (int d = 0; d < v.length; d++) {
                sum[d] += v[d];
            }
        }
        sums.forEach((id, sum) -> {
            Line l = firsts.get(id);
            out.add(new IndexEntry(id, l.target(), l.kind(), l.lang(), texts.get(id).toString(), Vectors.normalize(sum)));
        });
        return out;
    }
}
