package io.dflockd.server.fence;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link FenceStateFileConcurrencyTest}: tries to open the state file given
 * as the only argument. Exit status 0 = opened, 2 = refused as locked, 3 = other failure.
 */
public final class LockProbe {
    private LockProbe() {
    }

    public static void main(String[] args) {
        try {
            FenceStateFile.open(Path.of(args[0]), () -> 0L).close();
            System.exit(0);
        } catch (IOException e) {
            System.out.println(e.getMessage());
            System.exit(e.getMessage().contains("is locked by another dflockd process") ? 2 : 3);
        }
    }
}
