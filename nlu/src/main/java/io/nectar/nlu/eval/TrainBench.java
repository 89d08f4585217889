package io.nectar.nlu.eval;

import io.nectar.nlu.intent.IntentExample;
import io.nectar.nlu.intent.IntentModelInfo;
import io.nectar.nlu.intent.IntentTrainer;
import io.nectar.nlu.intent.TrainedIntentModel;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code ops/nlu-bench train}: training time of merchant-sized intent models (default settings, folds and
 * calibration included, encoding excluded) on synthetic data: N examples over C intents, 512-dimension
 * vectors (one bge-small-zh-sized encoder) plus n-gram features from six-word texts. Prints wall and
 * process CPU seconds per training (the CPU figure is steadier on a shared machine).
 */
final class TrainBench {

    private TrainBench() {
    }

    static void run() {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int[][] sizes = {{60, 10}, {100, 15}, {300, 50}, {500, 80}};
        for (int[] size : sizes) {
            int n = size[0], c = size[1], d = 512;
            Random r = new Random(1);
            String[] words = new String[2000];
            for (int i = 0; i < words.length; i++) {
                words[i] = "w" + Integer.toString(r.nextInt(1 << 20), 36);
            }
            List<IntentExample> examples = new ArrayList<>();
            float[][] vectors = new float[n][d];
            for (int i = 0; i < n; i++) {
                int k = i % c;
                StringBuilder text = new StringBuilder();
                for (int j = 0; j < 6; j++) {
                    text.append(words[(k * 7 + r.nextInt(12)) % words.length]).append(' ');
                }
                examples.add(new IntentExample(text.toString(), "intent" + k));
                for (int j = 0; j < d; j++) {
                    vectors[i][j] = (float) r.nextGaussian() / 20f + (j % c == k ? 0.1f : 0f);
                }
            }
            List<IntentModelInfo.EncoderRef> refs = List.of(new IntentModelInfo.EncoderRef("synthetic", d));
            double bestWall = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE;
            for (int rep = 0; rep < 5; rep++) {
                long t = System.nanoTime();
                long cpu = os.getProcessCpuTime();
                TrainedIntentModel m = IntentTrainer.train(examples, refs, vectors, IntentTrainer.Options.DEFAULT);
                double wall = (System.nanoTime() - t) / 1e9;
                double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
                if (rep > 0) { // the first run warms the JIT up
                    bestWall = Math.min(bestWall, wall);
                    bestCpu = Math.min(bestCpu, cpuSeconds);
                }
                if (m.info().labels().size() != c) {
                    throw new IllegalStateException("wrong model");
                }
            }
            System.out.printf("{\"examples\":%d,\"intents\":%d,\"dimension\":%d,\"best_wall_seconds\":%.3f,\"best_cpu_seconds\":%.3f}%n",
                    n, c, d, bestWall, bestCpu);
        }
    }
}
