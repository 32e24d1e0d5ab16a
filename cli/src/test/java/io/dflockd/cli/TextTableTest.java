package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void padsColumnsToTheWidestCellWithoutTrailingSpaces() {
        TextTable t = new TextTable("KEY", "N").row("a-long-key", 1).row("k", 12345);
        assertThat(t.render()).isEqualTo(
                "KEY         N\n"
                + "a-long-key  1\n"
                + "k           12345\n");
        assertThat(t.isEmpty()).isFalse();
        assertThat(new TextTable("A").isEmpty()).isTrue();
    }
}
