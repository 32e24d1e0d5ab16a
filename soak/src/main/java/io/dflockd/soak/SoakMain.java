package io.dflockd.soak;

/**
 * Command-line entry point of {@code bin/dflockd-soak}. Exit status: 0 green, 1 invariant violation,
 * 2 bad usage or the servers could not be started.
 */
public final class SoakMain {
    private SoakMain() {
    }

    /** Runs the soak and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println(SoakOptions.USAGE);
                return 0;
            }
        }
        SoakOptions options;
        try {
            options = SoakOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("dflockd-soak: " + e.getMessage());
            return 2;
        }
        SoakResult result;
        try {
            result = SoakRunner.run(options);
        } catch (java.io.IOException e) {
            System.err.println("dflockd-soak: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            System.err.println("dflockd-soak: interrupted");
            return 2;
        }
        System.out.println(options.json() ? result.json() : result.summary());
        return result.green() ? 0 : 1;
    }
}
