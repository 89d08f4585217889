package io.nectar.nlu;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LanguageIdentifierTest {

    private final LanguageIdentifier all = new LanguageIdentifier(EnumSet.allOf(Language.class), Language.EN);

    @Test
    void identifiesEveryServedLanguage() {
        Map<String, Language> samples = Map.ofEntries(
                Map.entry("这双鞋什么时候发货？", Language.ZH),
                Map.entry("iPhone15有货吗", Language.ZH),
                Map.entry("When will my order be shipped?", Language.EN),
                Map.entry("Quando meu pedido será enviado para minha casa?", Language.PT),
                Map.entry("¿Cuándo se enviará mi pedido a mi casa?", Language.ES),
                Map.entry("Kapan pesanan saya akan dikirim ke rumah?", Language.ID),
                Map.entry("รองเท้าคู่นี้จะส่งเมื่อไหร่", Language.TH),
                Map.entry("Khi nào đơn hàng của tôi sẽ được giao?", Language.VI),
                Map.entry("Когда будет отправлен мой заказ?", Language.RU));
        for (Map.Entry<String, Language> e : samples.entrySet()) {
            assertEquals(e.getValue(), all.detect(e.getKey()), e.getKey());
        }
    }

    @Test
    void tellsApartCloseLatinLanguagesOnShopperQuestions() {
        assertEquals(Language.PT, all.detect("Vocês aceitam cartão de crédito?"));
        assertEquals(Language.ES, all.detect("¿Aceptan tarjeta de crédito?"));
        assertEquals(Language.ID, all.detect("Apakah bisa bayar pakai kartu kredit?"));
        assertEquals(Language.EN, all.detect("Do you accept credit cards?"));
    }

    @Test
    void onlyServedLanguagesComeBackForLatinText() {
        LanguageIdentifier zhEn = new LanguageIdentifier(EnumSet.of(Language.ZH, Language.EN), Language.EN);
        // Spanish is not served: Latin text goes to the one served Latin language
        assertEquals(Language.EN, zhEn.detect("¿Cuándo se enviará mi pedido?"));
        assertEquals(Language.ZH, zhEn.detect("什么时候发货"));
        LanguageIdentifier esPt = new LanguageIdentifier(EnumSet.of(Language.ES, Language.PT), Language.ES);
        assertEquals(Language.PT, esPt.detect("Quando meu pedido será enviado?"));
        assertEquals(Language.ES, esPt.detect("ok"), "too short to tell: the fallback");
        assertThrows(IllegalArgumentException.class, () -> new LanguageIdentifier(EnumSet.of(Language.ZH), Language.EN));
    }
}
