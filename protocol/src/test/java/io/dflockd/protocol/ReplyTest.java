package io.dflockd.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reply shapes: recognised from the line alone, encoded back to the same line. */
class ReplyTest {
    private static final String TOKEN = "0000000000000001a1b2c3d4e5f60718";

    @Test
    void everyShapeSurvivesEncodeAndParse() {
        List<Reply> all = List.of(new Reply.Bare(Status.OK), new Reply.Bare(Status.QUEUED),
                new Reply.Bare(Status.TIMEOUT), new Reply.Bare(Status.ERROR_DRAINING),
                new Reply.Granted(Status.OK, TOKEN, 33), new Reply.Granted(Status.ACQUIRED, TOKEN, 5),
                new Reply.Numeric(0), new Reply.Numeric(9_223_372_036L),
                new Reply.NotLeader("10.0.0.2:6389"), new Reply.NotLeader(null),
                new Reply.Payload("{\"connections\":1,\"locks\":[]}"), new Reply.Unrecognized("nope 1 2"));
        for (Reply r : all) {
            assertThat(Reply.parse(r.encode())).as(r.encode()).isEqualTo(r);
        }
    }

    @Test
    void theRedisFeatsFenceFieldIsToleratedAndDropped() {
        assertThat(Reply.parse("ok " + TOKEN + " 33 7")).isEqualTo(new Reply.Granted(Status.OK, TOKEN, 33));
        assertThat(Reply.parse("acquired " + TOKEN + " 33 7")).isEqualTo(new Reply.Granted(Status.ACQUIRED, TOKEN, 33));
        assertThat(Reply.parse("ok 30 7")).isEqualTo(new Reply.Numeric(30));
    }

    @Test
    void anErrorWordMayCarryAReason() {
        assertThat(Reply.parse("error something broke")).isEqualTo(new Reply.Bare(Status.ERROR));
        assertThat(Reply.parse("")).isEqualTo(new Reply.Unrecognized(""));
    }

    @Test
    void malformedShapesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Reply.parse("ok abc")).hasMessageContaining("'abc' is not a non-negative integer");
        assertThatThrownBy(() -> Reply.parse("ok -1")).hasMessageContaining("not a non-negative integer");
        assertThatThrownBy(() -> Reply.parse("ok " + TOKEN + " x")).hasMessageContaining("lease");
        assertThatThrownBy(() -> Reply.parse("ok " + TOKEN + " 1 2 3")).hasMessageContaining("<token> <lease>");
        assertThatThrownBy(() -> Reply.parse("acquired " + TOKEN)).hasMessageContaining("<token> <lease>");
        assertThatThrownBy(() -> Reply.parse("queued now")).hasMessageContaining("bare 'queued'");
        assertThatThrownBy(() -> Reply.parse("ok 99999999999999999999")).hasMessageContaining("not a non-negative");
    }

    @Test
    void notLeaderIsUpstreamsLineByteForByte() {
        assertThat(new Reply.NotLeader("10.0.0.2:6389").encode()).isEqualTo("error_not_leader 10.0.0.2:6389");
        assertThat(new Reply.NotLeader(null).encode()).isEqualTo("error_not_leader");
        assertThat(Reply.Bare.of(Status.ERROR_NOT_LEADER).encode()).isEqualTo("error_not_leader");
        assertThat(Reply.parse("error_not_leader")).isEqualTo(new Reply.NotLeader(null));
        assertThat(Reply.parse("error_not_leader [::1]:6388")).isEqualTo(new Reply.NotLeader("[::1]:6388"));
        assertThatThrownBy(() -> Reply.parse("error_not_leader a:1 b:2"))
                .hasMessageContaining("expected 'error_not_leader [<host:port>]'");
        assertThatThrownBy(() -> new Reply.NotLeader("a b:1")).hasMessageContaining("one non-empty word");
        assertThatThrownBy(() -> new Reply.NotLeader("")).hasMessageContaining("one non-empty word");
    }
}
