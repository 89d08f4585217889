package io.nectar.nlu.encoder;

/**
 * Keeps DJL off the network: without {@code ai.djl.offline} its telemetry connects out when the engine
 * starts and when a tokenizer is created. Models here always come from local files.
 */
public final class Offline {

    private Offline() {
    }

    /** Sets DJL's offline switches unless the operator set them. Call before any DJL engine or tokenizer starts. */
    public static void ensure() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }
}
