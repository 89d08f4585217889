package io.nectar.loadgen;

import io.nectar.loadgen.cli.Runner;
import io.nectar.loadgen.echo.EchoServer;

import java.util.Arrays;

/** Command-line entry point: {@code ops/loadgen SCENARIO [options]}, {@code report}, {@code echo-server}. */
public final class LoadgenMain {

    private LoadgenMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("echo-server")) {
            EchoServer.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int rc = new Runner(System.out, System.err).run(args);
        System.out.flush();
        System.exit(rc);
    }
}
