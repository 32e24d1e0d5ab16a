package io.dflockd.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectsTest {
    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "a.b, a.b, true",
        "a.b, a.c, false",
        "a.b, a.b.c, false",
        "a.*, a.x, true",
        "a.*, a.x.y, false",
        "a.*, a, false",
        "a.>, a.x, true",
        "a.>, a.x.y, true",
        "a.>, a, false",
        "*, x, true",
        "*, x.y, false",
        ">, x, true",
        ">, x.y.z, true",
        "*.b.>, x.b.y, true",
        "*.b.>, x.b.y.z, true",
        "*.b.>, x.b, false",
        "*.b.>, x.c.y, false",
        "events.*.login, events.user.login, true",
        "a.*.c, a..c, true",
        "a.>, a., true",
        "ab, a, false",
        "a, ab, false",
    })
    void matchingTable(String pattern, String channel, boolean expected) {
        assertThat(Subjects.isValidPattern(pattern)).isTrue();
        assertThat(Subjects.matches(pattern, channel)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"fo*, false", "a>, false", "a.>.b, false", ">.a, false", "a.*.>, true", "a..b, true",
        "*.*, true", "a.b*, false"})
    void patternValidation(String pattern, boolean valid) {
        assertThat(Subjects.isValidPattern(pattern)).isEqualTo(valid);
    }
}
