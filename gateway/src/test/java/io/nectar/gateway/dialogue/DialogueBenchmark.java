package io.nectar.gateway.dialogue;

import java.util.Arrays;
import java.util.Locale;

/**
 * CPU time the dialogue layer spends on the event loop per message: the seed dialogue (order lookup,
 * exchange offer, correction, confirmation with the compensation promotion, exchange action on the demo
 * backend) and an interruption, replayed in fresh conversations; entity extraction included, models
 * excluded (intents are given). The state goes through JSON between messages as the session store does.
 * Run: {@code ops/bench-dialogue}. Prints its figures; asserts nothing.
 */
public final class DialogueBenchmark {

    private DialogueBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        run(rounds / 5); // warm-up
        long[] nanos = run(rounds);
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "dialogue layer, %d messages (%d conversations of 5), one thread: p50 %.1f µs, p99 %.1f µs, mean %.1f µs%n",
                nanos.length, rounds, nanos[nanos.length / 2] / 1000.0, nanos[(int) (nanos.length * 0.99)] / 1000.0,
                Arrays.stream(nanos).average().orElse(0) / 1000.0);
    }

    static long[] run(int rounds) {
        long[] out = new long[rounds * 5];
        int n = 0;
        for (int r = 0; r < rounds; r++) {
            DialogueHarness h = DialogueHarness.demo();
            long t0 = System.nanoTime();
            h.say("我的订单DX1001到哪了", Intent.FLOW, "order-status", 0.9);
            long t1 = System.nanoTime();
            h.say("包邮吗?", Intent.FAQ, "free-shipping", 0.95);
            long t2 = System.nanoTime();
            h.say("给我换个棕色的……不，黑色的吧");
            long t3 = System.nanoTime();
            h.say("好的");
            long t4 = System.nanoTime();
            h.say("thanks", Intent.FAQ, "smalltalk-thanks", 0.9);
            long t5 = System.nanoTime();
            out[n++] = t1 - t0;
            out[n++] = t2 - t1;
            out[n++] = t3 - t2;
            out[n++] = t4 - t3;
            out[n++] = t5 - t4;
        }
        return out;
    }
}
