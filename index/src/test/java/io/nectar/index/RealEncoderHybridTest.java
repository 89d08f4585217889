package io.nectar.index;

import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.SentenceEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hybrid ranking on real sentence vectors (the bundled bge-small-zh encoder): shoppers who type a SKU or
 * model code get that product, even where its title is a near twin of another product's, and plain
 * questions still find their FAQ entry by meaning.
 */
class RealEncoderHybridTest {

    private static SentenceEncoder encoder;
    private static SentenceEncoder.Session session;
    private static final KnowledgeIndex index = new KnowledgeIndex();

    private static final String[][] PRODUCTS = {
            {"SH-OX-001", "经典真皮牛津皮鞋 Classic Leather Oxford Shoes"},
            {"SH-LS-001", "经典系带真皮皮鞋 Classic Lace-up Leather Shoes"},
            {"SH-LF-001", "真皮便士乐福鞋 Leather Penny Loafers"},
            {"SH-BT-001", "真皮切尔西短靴 Leather Chelsea Boots"},
            {"SN-RN-002", "轻量缓震跑步鞋 Lightweight Cushioned Running Shoes"},
            {"SN-RN-003", "轻量透气跑步鞋 Lightweight Breathable Running Shoes"},
            {"AP-TS-010", "纯棉圆领T恤 Cotton Crew-neck T-shirt"},
            {"DX1001", "无线降噪耳机 Wireless Noise-cancelling Headphones"},
            {"DX1002", "无线运动耳机 Wireless Sports Earbuds"},
            {"CARE-SPR-001", "纳米防水喷雾 Waterproof Protector Spray"},
    };
    private static final String[][] FAQS = {
            {"shipping-time", "什么时候发货\n多久能发货\n下单后几天发出"},
            {"free-shipping", "包邮吗\n运费多少\n满多少包邮"},
            {"return-policy", "可以退货吗\n七天无理由退货吗\n怎么退货"},
    };

    @BeforeAll
    static void load() {
        encoder = SentenceEncoder.load(EncoderSpec.BGE_SMALL_ZH, 1);
        session = encoder.newSession();
        List<IndexEntry> entries = new ArrayList<>();
        for (String[] p : PRODUCTS) {
            String text = p[0] + " " + p[1];
            entries.add(new IndexEntry("product:" + p[0], p[0], EntryKind.PRODUCT, "zh", text, encode(p[1])));
        }
        for (String[] f : FAQS) {
            String[] lines = f[1].split("\n");
            float[][] v = session.encode(List.of(lines));
            float[] mean = new float[v[0].length];
            for (float[] x : v) {
                for (int d = 0; d < mean.length; d++) {
                    mean[d] += x[d];
                }
            }
            entries.add(new IndexEntry("faq:" + f[0], f[0], EntryKind.FAQ, "zh", f[1], FaqBench.normalize(mean)));
        }
        index.replace("demo", "bge", encoder.dimension(), entries);
    }

    @AfterAll
    static void close() {
        session.close();
        encoder.close();
        index.close();
    }

    private static float[] encode(String text) {
        return session.encode(List.of(text))[0];
    }

    private static String top(String question, Ranking ranking) {
        return index.search("demo", "bge", encode(question), question, 5, ranking).get(0).entry().target();
    }

    @Test
    void aNamedSkuOrModelWinsOverItsNearTwins() {
        String[][] cases = {
                {"SN-RN-003 还有42码吗", "SN-RN-003"},
                {"SN-RN-002 有货吗", "SN-RN-002"},
                {"DX1002 多少钱", "DX1002"},
                {"dx1001 降噪效果怎么样", "DX1001"},
                {"SH-LS-001-BRN-42 还有吗", "SH-LS-001"},
                {"is SH-BT-001 waterproof", "SH-BT-001"},
        };
        int vectorRight = 0;
        for (String[] c : cases) {
            assertEquals(c[1], top(c[0], Ranking.HYBRID), c[0]);
            if (c[1].equals(top(c[0], Ranking.VECTOR))) {
                vectorRight++;
            }
        }
        System.out.printf("identifier questions: hybrid %d/%d right, vector only %d/%d%n", cases.length, cases.length,
                vectorRight, cases.length);
    }

    @Test
    void questionsWithoutIdentifiersStillMatchByMeaning() {
        assertEquals("shipping-time", top("我的订单啥时候能发出去", Ranking.HYBRID));
        assertEquals("free-shipping", top("需要付邮费吗", Ranking.HYBRID));
        assertEquals("return-policy", top("不喜欢能退吗", Ranking.HYBRID));
        assertEquals("SN-RN-003", top("透气的跑鞋", Ranking.HYBRID));
    }
}
