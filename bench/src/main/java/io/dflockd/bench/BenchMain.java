package io.dflockd.bench;

import io.dflockd.bench.cli.BenchCli;

/** Entry point of {@code bin/dflockd-bench} and of {@code java -jar bench/target/dflockd-bench.jar}. */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(BenchCli.execute(args, System.out, System.err));
    }
}
