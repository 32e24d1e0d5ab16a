package io.dflockd.bench.cli;

/** Range checks for option values; a violation becomes the tool's one-line error message. */
final class Check {
    private Check() {
    }

    static int atLeast(String option, int value, int min) {
        if (value < min) {
            throw new BadOptionException(option + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    static long atLeast(String option, long value, long min) {
        if (value < min) {
            throw new BadOptionException(option + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    static double between(String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new BadOptionException(option + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** Thrown for an option value that parses but makes no sense. */
    static final class BadOptionException extends IllegalArgumentException {
        BadOptionException(String message) {
            super(message);
        }
    }
}
