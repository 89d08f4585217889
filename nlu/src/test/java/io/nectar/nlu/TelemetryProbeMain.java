package io.nectar.nlu;

/** Run by {@link NoNetworkTest}: DJL's telemetry call with offline mode off, under the {@link NetworkGuard}. */
public final class TelemetryProbeMain {

    public static void main(String[] args) throws Exception {
        NetworkGuard guard = NetworkGuard.install();
        ai.djl.util.Ec2Utils.callHome("probe");
        System.out.println("ATTEMPTS " + String.join(" | ", guard.attempts));
        System.exit(0);
    }
}
