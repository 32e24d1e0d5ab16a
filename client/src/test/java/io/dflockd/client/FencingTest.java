package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Why a lease is not enough, end to end: a holder that stalls past its loss still tries to write;
 * the guarded resource (an H2 table stamped with fences) takes the new holder's write and refuses
 * the stale one.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class FencingTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    @Test
    void theResourceRefusesAWriterWhoseLeaseWasLost() throws Exception {
        String k = key("fenced");
        try (Connection db = DriverManager.getConnection("jdbc:h2:mem:fencing;DB_CLOSE_DELAY=-1");
                DistributedLock zombie = DistributedLock.builder(k).config(shared.config())
                        .leaseTtl(Duration.ofSeconds(2)).build(); // renews every second: hears of the loss soon
                DistributedLock successor = DistributedLock.builder(k).config(shared.config()).build()) {
            try (Statement st = db.createStatement()) {
                st.execute("CREATE TABLE orders(id INT PRIMARY KEY, status VARCHAR(20), fence DECIMAL(20) NOT NULL)");
                st.execute("INSERT INTO orders VALUES (42, 'new', 0)");
            }
            assertThat(zombie.acquire()).isTrue();
            long zombieFence = Fencing.fenceOf(zombie);
            assertThat(write(db, 42, "packed", zombieFence)).isTrue();

            // the zombie "pauses": its lock is taken from it (here: released with its token behind its back)
            String stolen = zombie.token();
            try (DflockdConnection c = DflockdConnection.open(shared.config())) {
                c.release(k, stolen);
            }
            assertThat(successor.acquire()).isTrue();
            long successorFence = Fencing.fenceOf(successor);
            assertThat(Fencing.supersedes(successorFence, zombieFence)).isTrue();
            assertThat(write(db, 42, "shipped", successorFence)).isTrue();

            // the zombie wakes up and writes with its old fence: refused by the resource
            assertThat(write(db, 42, "cancelled", zombieFence)).isFalse();
            assertThat(status(db, 42)).isEqualTo("shipped");
            // and the client tells the zombie it lost the lease (its next renewal is refused)
            assertThat(zombie.leaseLost().get(10, TimeUnit.SECONDS)).isInstanceOf(ServerErrorException.class);
            assertThatThrownBy(() -> Fencing.fenceOf(zombie)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void fencesCompareUnsigned() {
        assertThat(Fencing.supersedes(-1L, Long.MAX_VALUE)).isTrue(); // 2^64-1 is after 2^63-1
        assertThat(Fencing.supersedes(5, 5)).isFalse();
        assertThat(Fencing.supersedes(4, 5)).isFalse();
    }

    /** The guarded write: only a fence newer than the stored one may change the row. */
    private static boolean write(Connection db, int id, String status, long fence) throws SQLException {
        String unsigned = Long.toUnsignedString(fence);
        try (PreparedStatement ps = db.prepareStatement(
                "UPDATE orders SET status = ?, fence = ? WHERE id = ? AND fence < ?")) {
            ps.setString(1, status);
            ps.setBigDecimal(2, new java.math.BigDecimal(unsigned));
            ps.setInt(3, id);
            ps.setBigDecimal(4, new java.math.BigDecimal(unsigned));
            return ps.executeUpdate() == 1;
        }
    }

    private static String status(Connection db, int id) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT status FROM orders WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
