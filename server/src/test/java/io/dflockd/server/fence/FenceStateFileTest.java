package io.dflockd.server.fence;

import static io.dflockd.server.fence.FenceStateFile.RANGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.server.fence.JournalFiles.Slot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Recovery, journal format and locking of {@link FenceStateFile}. */
class FenceStateFileTest {
    private static final long T = 1_000_000_000_000L;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("fence.state");
    }

    @Test
    void freshFileSeedsFromTheClockAndReservesARange() throws Exception {
        try (FenceStateFile f = FenceStateFile.open(file(), () -> T)) {
            assertThat(Files.size(file())).isEqualTo(32);
            assertThat(JournalFiles.read(file())[0]).isEqualTo(new Slot(true, 1, T + RANGE));
            assertThat(f.next()).isEqualTo(T + 1);
            assertThat(f.next()).isEqualTo(T + 2);
            if (file().getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void reopenSeedsAboveEveryEarlierFenceEvenWhenTheClockGoesBackwards() throws Exception {
        long last;
        try (FenceStateFile f = FenceStateFile.open(file(), () -> T)) {
            for (int i = 0; i < 10; i++) {
                f.next();
            }
            last = f.next();
        }
        try (FenceStateFile f = FenceStateFile.open(file(), () -> 5L)) {
            long first = f.next();
            assertThat(first).isGreaterThan(last).isEqualTo(T + RANGE + 1);
            assertThat(JournalFiles.read(file())[1]).isEqualTo(new Slot(true, 2, T + 2 * RANGE));
        }
    }

    @Test
    void reopenUsesTheClockWhenItIsAheadOfTheCeiling() throws Exception {
        FenceStateFile.open(file(), () -> T).close();
        try (FenceStateFile f = FenceStateFile.open(file(), () -> T + 10 * RANGE)) {
            assertThat(f.next()).isEqualTo(T + 10 * RANGE + 1);
        }
    }

    @Test
    void crossingARangeBoundaryAppendsTheNextRecordToTheOtherSlot() throws Exception {
        try (FenceStateFile f = FenceStateFile.open(file(), () -> 100L, 4)) {
            assertThat(new long[] {f.next(), f.next(), f.next()}).containsExactly(101, 102, 103);
            assertThat(Files.size(file())).as("no write inside the reserved range").isEqualTo(32);

            assertThat(f.next()).isEqualTo(104);
            Slot[] slots = JournalFiles.read(file());
            assertThat(slots).containsExactly(new Slot(true, 1, 104), new Slot(true, 2, 108));

            assertThat(new long[] {f.next(), f.next(), f.next(), f.next()}).containsExactly(105, 106, 107, 108);
            slots = JournalFiles.read(file());
            assertThat(slots).containsExactly(new Slot(true, 3, 112), new Slot(true, 2, 108));
        }
    }

    @ParameterizedTest(name = "slot {0}, byte {1}")
    @CsvSource({"0,0", "0,9", "0,20", "0,31", "1,0", "1,9", "1,20", "1,31"})
    void aCorruptSlotIsIgnored(int corruptSlot, int offset) throws Exception {
        JournalFiles.write(file(), JournalFiles.record(1, 1000), JournalFiles.record(2, 2000));
        JournalFiles.flipByte(file(), corruptSlot * 32 + offset);
        byte[] survivor = slotBytes(1 - corruptSlot);
        long expectedCeiling = corruptSlot == 0 ? 2000 : 1000;

        try (FenceStateFile f = FenceStateFile.open(file(), () -> 0L, 10)) {
            assertThat(f.next()).isEqualTo(expectedCeiling + 1);
        }
        // The new record replaced the corrupt slot; the surviving record is untouched.
        assertThat(slotBytes(1 - corruptSlot)).isEqualTo(survivor);
        assertThat(JournalFiles.read(file())[corruptSlot].valid()).isTrue();
        assertThat(JournalFiles.newestCeiling(file())).isEqualTo(expectedCeiling + 10);
    }

    @Test
    void theRecordWithTheHighestSequenceNumberWinsWhicheverSlotItIsIn() throws Exception {
        JournalFiles.write(file(), JournalFiles.record(4, 4000), JournalFiles.record(3, 3000));
        try (FenceStateFile f = FenceStateFile.open(file(), () -> 0L, 10)) {
            assertThat(f.next()).isEqualTo(4001);
        }
        assertThat(JournalFiles.read(file())).containsExactly(new Slot(true, 4, 4000), new Slot(true, 5, 4010));
    }

    @Test
    void neverOverwritesTheOnlyValidRecord() throws Exception {
        // A valid record in the "wrong" slot for its sequence number: the next write must still go
        // to the other slot, or a torn write would leave no valid record at all.
        JournalFiles.write(file(), JournalFiles.record(2, 2000), new byte[32]);
        FenceStateFile.open(file(), () -> 0L, 10).close();
        assertThat(JournalFiles.read(file())).containsExactly(new Slot(true, 2, 2000), new Slot(true, 3, 2010));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"both-flipped", "zeros-64", "zeros-32"})
    void noValidRecordRefusesToStart(String kind) throws Exception {
        switch (kind) {
            case "both-flipped" -> {
                JournalFiles.write(file(), JournalFiles.record(1, 1000), JournalFiles.record(2, 2000));
                JournalFiles.flipByte(file(), 30);
                JournalFiles.flipByte(file(), 32 + 12);
            }
            case "zeros-64" -> Files.write(file(), new byte[64]);
            default -> Files.write(file(), new byte[32]);
        }
        byte[] before = Files.readAllBytes(file());
        assertThatThrownBy(() -> FenceStateFile.open(file(), () -> T))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file().toString())
                .hasMessageContaining("corrupt");
        assertThat(Files.readAllBytes(file())).as("file left as found").isEqualTo(before);
        Files.write(file(), new byte[0]); // same inode, now valid: the failed open released it
        assertOpenable();
    }

    @Test
    void legacyEightByteFileIsMigrated() throws Exception {
        Files.write(file(), ByteBuffer.allocate(8).putLong(5000).array());
        long first;
        try (FenceStateFile f = FenceStateFile.open(file(), () -> 10L, 100)) {
            first = f.next();
            assertThat(first).isEqualTo(5001);
        }
        assertThat(Files.size(file())).isEqualTo(64);
        assertThat(JournalFiles.read(file())[1]).isEqualTo(new Slot(true, 2, 5100));
        try (FenceStateFile f = FenceStateFile.open(file(), () -> 10L, 100)) {
            assertThat(f.next()).isGreaterThan(first).isEqualTo(5101);
        }
        assertThat(JournalFiles.read(file())[0]).isEqualTo(new Slot(true, 3, 5200));
    }

    @Test
    void legacyFileWithTheClockAheadUsesTheClock() throws Exception {
        Files.write(file(), ByteBuffer.allocate(8).putLong(5000).array());
        try (FenceStateFile f = FenceStateFile.open(file(), () -> 9000L, 100)) {
            assertThat(f.next()).isEqualTo(9001);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 9, 17, 31, 33, 63, 65, 96})
    void unexpectedSizeRefusesToStart(int size) throws Exception {
        byte[] content = new byte[size];
        java.util.Arrays.fill(content, (byte) 0x77);
        Files.write(file(), content);
        assertThatThrownBy(() -> FenceStateFile.open(file(), () -> T))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file().toString())
                .hasMessageContaining("unexpected size " + size + " bytes");
        assertThat(Files.readAllBytes(file())).isEqualTo(content);
    }

    @Test
    void ceilingBeyondTheSignedRangeRefusesToStart() throws Exception {
        Files.write(file(), ByteBuffer.allocate(8).putLong(0xFFFF_FFFF_FFFF_FFF0L).array());
        assertThatThrownBy(() -> FenceStateFile.open(file(), () -> T))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exhausted");
    }

    @Test
    void exhaustionNearLongMaxValue() throws Exception {
        try (FenceStateFile f = FenceStateFile.open(file(), () -> Long.MAX_VALUE - 3)) {
            assertThat(JournalFiles.newestCeiling(file())).isEqualTo(Long.MAX_VALUE);
            assertThat(f.next()).isEqualTo(Long.MAX_VALUE - 2);
            assertThat(f.next()).isEqualTo(Long.MAX_VALUE - 1);
            assertThatThrownBy(f::next).isInstanceOf(FenceException.class).hasMessageContaining("exhausted");
            assertThatThrownBy(f::next).isInstanceOf(FenceException.class).hasMessageContaining("exhausted");
        }
    }

    @Test
    void secondOpenWhileOpenIsRefusedAndCloseReleasesTheLock() throws Exception {
        FenceStateFile first = FenceStateFile.open(file(), () -> T);
        assertThatThrownBy(() -> FenceStateFile.open(file(), () -> T))
                .isInstanceOf(IOException.class)
                .hasMessage("fence state file " + file() + " is locked by another dflockd process");
        Path link = dir.resolve("link");
        try {
            Files.createSymbolicLink(link, file());
            assertThatThrownBy(() -> FenceStateFile.open(link, () -> T)).hasMessageContaining("is locked by");
        } catch (UnsupportedOperationException | IOException noSymlinks) {
            // platform without symbolic links: nothing more to check
        }
        assertThat(first.next()).isEqualTo(T + 1);
        first.close();
        first.close(); // idempotent
        assertThatThrownBy(first::next).isInstanceOf(FenceException.class).hasMessageContaining("closed");
        assertOpenable();
    }

    @Test
    void factoryWithStateFileOpensIt() throws Exception {
        try (FenceAllocator a = FenceAllocators.open(file(), () -> T)) {
            assertThat(a).isInstanceOf(FenceStateFile.class);
            assertThat(a.next()).isEqualTo(T + 1);
        }
        assertThat(JournalFiles.newestCeiling(file())).isEqualTo(T + RANGE);
    }

    private void assertOpenable() throws IOException {
        FenceStateFile.open(file(), () -> 0L).close();
    }

    private byte[] slotBytes(int slot) throws IOException {
        return java.util.Arrays.copyOfRange(Files.readAllBytes(file()), slot * 32, slot * 32 + 32);
    }
}
