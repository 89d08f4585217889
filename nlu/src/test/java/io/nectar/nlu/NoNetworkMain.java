package io.nectar.nlu;

import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.SentenceEncoder;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.IntentExample;
import io.nectar.nlu.intent.IntentModel;
import io.nectar.nlu.intent.IntentTrainer;
import io.nectar.nlu.intent.TrainedIntentModel;

import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Run in a fresh JVM by {@link NoNetworkTest}: installs the {@link NetworkGuard}, proves it sees a socket
 * and a URL connection, then does everything the library does (serve a saved intent model, load every
 * bundled encoder, encode, train, export, identify languages) and prints the connections attempted.
 */
public final class NoNetworkMain {

    public static void main(String[] args) throws Exception {
        NetworkGuard guard = NetworkGuard.install();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 9), 200);
        } catch (Exception expected) {
            // nothing listens there: only the attempt matters
        }
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:9/probe").toURL().openConnection();
            c.setConnectTimeout(200);
            c.connect();
        } catch (Exception expected) {
            // likewise
        }
        try {
            // what DJL's telemetry does: a URL connection that skips proxy selection
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:9/direct").toURL()
                    .openConnection(java.net.Proxy.NO_PROXY);
            c.setConnectTimeout(200);
            c.connect();
        } catch (Exception expected) {
            // likewise
        }
        boolean direct = guard.attempts.stream().anyMatch(a -> a.startsWith("socket ") && a.contains(":9"));
        boolean selector = guard.attempts.stream().anyMatch(a -> a.startsWith("proxy-selector ") && a.contains("/probe"));
        System.out.println("SELF-CHECK selector=" + selector + " direct=" + direct);
        guard.attempts.clear();

        Path dir = Files.createTempDirectory("nectar-no-network");
        // Serve a model first, before any encoder class has run: the head alone must keep DJL offline.
        List<IntentExample> small = List.of(new IntentExample("when do you ship", "shipping"),
                new IntentExample("how fast is delivery", "shipping"), new IntentExample("can I return it", "returns"),
                new IntentExample("refund policy", "returns"));
        IntentTrainer.train(small, List.of(), new float[4][0], IntentTrainer.Options.DEFAULT).save(dir.resolve("lexical"));
        try (IntentModel m = IntentModel.load(dir.resolve("lexical"))) {
            m.classify(Map.of(), "when will it ship");
        }
        List<SentenceEncoder> encoders = new ArrayList<>();
        for (EncoderSpec spec : EncoderSpec.BUNDLED) {
            encoders.add(SentenceEncoder.load(spec, 1));
        }
        try (EncoderExecutor ex = new EncoderExecutor(encoders, new EncoderExecutor.Options(2, 256, 8, 1000, 16))) {
            List<IntentExample> data = new ArrayList<>();
            for (String t : List.of("when do you ship", "how fast is delivery", "shipping time", "when will it leave")) {
                data.add(new IntentExample(t, "shipping"));
            }
            for (String t : List.of("can I return it", "refund policy", "send it back", "I want my money back")) {
                data.add(new IntentExample(t, "returns"));
            }
            TrainedIntentModel trained = IntentTrainer.train(data, ex, List.of("minilm-l6", "e5-small"), IntentTrainer.Options.DEFAULT);
            trained.save(dir.resolve("dense"));
            try (IntentModel m = IntentModel.load(dir.resolve("dense"))) {
                String q = "how soon do you ship";
                m.classify(Map.of("minilm-l6", ex.encode("minilm-l6", q).join(), "e5-small", ex.encode("e5-small", q).join()), q);
            }
            ex.encode("bge-small-zh", "什么时候发货").join();
            ex.encode("bge-small-en", "when do you ship").join();
        }
        LanguageIdentifier id = new LanguageIdentifier(EnumSet.allOf(Language.class), Language.EN);
        id.detect("Quando meu pedido será enviado?");
        id.detect("Khi nào đơn hàng của tôi sẽ được giao?");
        for (SentenceEncoder e : encoders) {
            e.close();
        }
        System.out.println("ATTEMPTS " + guard.attempts.size() + " " + guard.attempts);
        System.exit(0);
    }
}
