package io.dflockd.soak;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The soak in the suite: two embedded servers with fence state files, one restarted every 10 s,
 * 40 s of chaos, real TCP throughout. Asserts a green verdict and that every kind of work and check
 * actually happened (a soak that did nothing would also be green).
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class SoakTest {
    @Test
    void fortySecondsOfChaosAgainstRestartingServersIsGreen() throws Exception {
        SoakOptions options = SoakOptions.defaults().withEmbedded(2)
                .withTiming(Duration.ofSeconds(40), Duration.ofSeconds(10));

        SoakResult result = SoakRunner.run(options);

        System.out.println(result.summary());
        SoakAssertions.greenWithEveryKindOfWork(result, 2);
    }
}
