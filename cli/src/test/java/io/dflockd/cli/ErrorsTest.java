package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.client.AcquireTimeoutException;
import io.dflockd.client.AuthException;
import io.dflockd.client.DflockdIOException;
import io.dflockd.client.MaxLocksException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ErrorsTest {
    private static final InetSocketAddress SERVER = InetSocketAddress.createUnresolved("db1", 6388);

    @Test
    void mapsEachFailureToItsDocumentedCode() {
        assertThat(Errors.exitCode(new DflockdIOException(SERVER, "connection refused", null)))
                .isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(Errors.exitCode(new AuthException(SERVER, "authentication failed"))).isEqualTo(ExitCodes.AUTH_REJECTED);
        assertThat(Errors.exitCode(new AcquireTimeoutException(SERVER, "timeout"))).isEqualTo(ExitCodes.NOT_ACQUIRED);
        assertThat(Errors.exitCode(new MaxLocksException(SERVER, "too many keys"))).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(Errors.exitCode(new IllegalArgumentException("bad key"))).isEqualTo(ExitCodes.USAGE);
        assertThat(Errors.exitCode(new CliException(ExitCodes.CONFIG, "x"))).isEqualTo(ExitCodes.CONFIG);
        assertThat(Errors.exitCode(new IllegalStateException("bug"))).as("EX_SOFTWARE, apart from kv get's not-found 1").isEqualTo(70);
    }

    @Test
    void messagesAreOneLineWithoutJavaClassNames() {
        assertThat(Errors.message(new CliException(2, "first\nsecond\r\nthird"))).isEqualTo("first; second; third");
        String tls = Errors.message(new DflockdIOException(SERVER, "TLS handshake failed: PKIX path building failed: "
                + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path",
                null));
        assertThat(tls).doesNotContain("sun.security").startsWith("db1:6388: TLS handshake failed")
                .contains("--cacert");
        assertThat(Errors.message(new IllegalStateException("bug"))).isEqualTo("internal error: IllegalStateException: bug");
    }

    @Test
    void reportPrintsThePrefixedLineAndReturnsTheCode() {
        StringWriter sink = new StringWriter();
        int code = Errors.report(new PrintWriter(sink), new DflockdIOException(SERVER, "connection refused", null));
        assertThat(code).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(sink.toString()).isEqualTo("dflockctl: db1:6388: connection refused" + System.lineSeparator());
    }
}
