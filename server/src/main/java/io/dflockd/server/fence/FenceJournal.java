package io.dflockd.server.fence;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The on-disk side of the fence state file (PROTOCOL.md §8.4): creation with mode 0600, the
 * exclusive lock, recovery of the persisted ceiling, and appends to the two-slot journal. Not
 * thread-safe: {@link FenceStateFile} serializes every call.
 *
 * <p>Slots alternate, and the next record always goes to the slot that does not hold the newest
 * valid record, so a torn write can only damage a slot whose content is already superseded. For a
 * journal written by any conforming writer this is exactly the spec's offset
 * {@code ((seq - 1) mod 2) * 32}.
 *
 * <p>I/O goes through {@link RandomAccessFile} streams rather than the {@link FileChannel}: an
 * interrupted thread doing channel I/O closes the channel, and with it the lock, for everybody.
 */
final class FenceJournal implements CeilingStore {
    /**
     * Identities of the state files this JVM holds. Java file locks are POSIX record locks, which
     * the OS drops when the process closes <em>any</em> descriptor of the file; a second open in
     * the same JVM must therefore be refused before it opens a descriptor, not after.
     */
    private static final Set<Object> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Object identity;
    private final RandomAccessFile file;
    private OptionalLong recoveredCeiling = OptionalLong.empty();
    private long seq; // sequence number of the newest record on disk (0: none)
    private int nextSlot; // slot the next record goes to
    private boolean closed;

    private FenceJournal(Path path, Object identity, RandomAccessFile file) {
        this.path = path;
        this.identity = identity;
        this.file = file;
    }

    /**
     * Opens or creates the state file, locks it exclusively and reads the persisted ceiling.
     *
     * @throws IOException if the file is locked, cannot be locked, or is corrupt or of an
     *     unexpected size; the message names the file and the reason on one line
     */
    static FenceJournal open(Path path) throws IOException {
        createIfAbsent(path);
        Object identity = identity(path);
        if (!HELD_IN_THIS_JVM.add(identity)) {
            throw locked(path);
        }
        RandomAccessFile file = null;
        try {
            file = new RandomAccessFile(path.toFile(), "rw");
            lock(file, path); // released by closing the file
            FenceJournal journal = new FenceJournal(path, identity, file);
            journal.recover();
            return journal;
        } catch (IOException | RuntimeException e) {
            if (file != null) {
                closeQuietly(file);
            }
            HELD_IN_THIS_JVM.remove(identity); // only after closing, see HELD_IN_THIS_JVM
            throw e;
        }
    }

    /** The ceiling found on disk, empty for a new (empty) file. Unsigned: may be negative. */
    OptionalLong recoveredCeiling() {
        return recoveredCeiling;
    }

    @Override
    public void persist(long ceiling) throws IOException {
        if (closed) {
            throw new IOException("fence state file " + path + " is closed");
        }
        byte[] record = new FenceRecord(seq + 1, ceiling).encode();
        file.seek((long) nextSlot * FenceRecord.SIZE);
        file.write(record);
        file.getFD().sync();
        // Advance only once the record is durable: after a failure the retry rewrites the same
        // slot, so the other slot keeps the last good record.
        seq++;
        nextSlot ^= 1;
    }

    /**
     * Fsyncs the directory so that a newly created file's directory entry is durable. Some
     * platforms cannot open directories; there is nothing better to do there, so failures are
     * ignored.
     */
    void syncDirectory() {
        Path dir = path.toAbsolutePath().getParent();
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException e) {
            // deliberately ignored, see above
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(file); // also releases the lock
        HELD_IN_THIS_JVM.remove(identity);
    }

    private void recover() throws IOException {
        long size = file.length();
        if (size == 0) {
            return; // new file: seq 1 goes to slot 0
        }
        if (size == Long.BYTES) {
            // Legacy format: a bare big-endian ceiling. Migrate by writing seq 2 into slot 1, which
            // leaves the legacy bytes in slot 0 intact until the new record is durable.
            recoveredCeiling = OptionalLong.of(ByteBuffer.wrap(readAll(8)).getLong());
            seq = 1;
            nextSlot = 1;
            return;
        }
        if (size != FenceRecord.SIZE && size != 2L * FenceRecord.SIZE) {
            throw new IOException("fence state file " + path + " has unexpected size " + size
                    + " bytes (expected 0, 8, 32 or 64); refusing to start");
        }
        byte[] buf = readAll((int) size);
        FenceRecord best = null;
        int bestSlot = 0;
        for (int slot = 0; slot * FenceRecord.SIZE < buf.length; slot++) {
            FenceRecord r = FenceRecord.decode(buf, slot * FenceRecord.SIZE);
            if (r != null && (best == null || Long.compareUnsigned(r.seq(), best.seq()) > 0)) {
                best = r;
                bestSlot = slot;
            }
        }
        if (best == null) {
            throw new IOException("fence state file " + path
                    + " is corrupt (no journal record with a valid checksum); refusing to start");
        }
        recoveredCeiling = OptionalLong.of(best.ceiling());
        seq = best.seq();
        nextSlot = bestSlot ^ 1;
    }

    private byte[] readAll(int n) throws IOException {
        byte[] buf = new byte[n];
        file.seek(0);
        file.readFully(buf);
        return buf;
    }

    private static void createIfAbsent(Path path) throws IOException {
        try {
            if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(path,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(path);
            }
        } catch (FileAlreadyExistsException e) {
            // Existing file: keep its mode. CREATE_NEW failed without opening a descriptor, so a
            // lock this JVM may hold on it is unaffected.
        }
    }

    /** The file's identity (device and inode where available), so hard links and symlinks match. */
    private static Object identity(Path path) throws IOException {
        Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        return key != null ? key : path.toRealPath();
    }

    private static void lock(RandomAccessFile file, Path path) throws IOException {
        FileLock lock;
        try {
            lock = file.getChannel().tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held elsewhere in this JVM under an identity we did not recognise
        } catch (IOException e) {
            throw new IOException("cannot lock fence state file " + path
                    + " (exclusive file locking is required): " + e.getMessage(), e);
        }
        if (lock == null) {
            throw locked(path);
        }
    }

    private static IOException locked(Path path) {
        return new IOException("fence state file " + path + " is locked by another dflockd process");
    }

    private static void closeQuietly(RandomAccessFile file) {
        try {
            file.close();
        } catch (IOException e) {
            // Every record was fsynced before it was relied upon; a failing close loses nothing.
        }
    }
}
