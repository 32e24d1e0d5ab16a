package io.dflockd.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FenceTokenTest {
    @Test
    void formatsFencePrefixAndSalt() {
        assertThat(FenceToken.format(1, 0x7f3c1f2b3e9a8d6eL)).isEqualTo("00000000000000017f3c1f2b3e9a8d6e");
        assertThat(FenceToken.format(-1L, 0)).isEqualTo("ffffffffffffffff0000000000000000");
    }

    @Test
    void decodesUnsignedFence() {
        assertThat(FenceToken.fence("00000000000000017f3c1f2b3e9a8d6e")).isEqualTo(1);
        assertThat(Long.compareUnsigned(FenceToken.fence("ffffffffffffffff0000000000000000"), 1)).isPositive();
    }

    @Test
    void laterFencesSortLaterAsText() {
        String a = FenceToken.format(0x18ae32796f708001L, 0xffffffffffffffffL);
        String b = FenceToken.format(0x18ae32796f708002L, 0);
        assertThat(a).isLessThan(b);
    }

    @Test
    void rejectsMalformedTokens() {
        assertThat(FenceToken.isWellFormed("0000000000000001ABCDEF0000000000")).isFalse();
        assertThat(FenceToken.isWellFormed("abc")).isFalse();
        assertThat(FenceToken.isWellFormed(null)).isFalse();
        assertThatThrownBy(() -> FenceToken.fence("xyz")).isInstanceOf(IllegalArgumentException.class);
    }
}
