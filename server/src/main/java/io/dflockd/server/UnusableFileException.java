package io.dflockd.server;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A file named by a setting (TLS material, auth token file) cannot be read or does not hold what it
 * should. Like {@link InvalidSettingException}, the message names the setting by its flag and can
 * be re-rendered with the environment variable the path came from.
 */
final class UnusableFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String problem;

    /**
     * @param setting the flag that names the file, e.g. {@code --tls-cert}
     * @param problem what is wrong, naming the file ("cannot read /x.pem: no such file")
     */
    UnusableFileException(String setting, String problem, Throwable cause) {
        super(setting + ": " + problem, cause);
        this.setting = setting;
        this.problem = problem;
    }

    /** The message with the setting named by {@code sourceOf}. */
    String describe(UnaryOperator<String> sourceOf) {
        return sourceOf.apply(setting) + ": " + problem;
    }

    /** Reads the whole file as {@code charset} text, or says in words why it cannot. */
    static String read(String setting, Path file, Charset charset) throws UnusableFileException {
        try {
            return Files.readString(file, charset);
        } catch (IOException e) {
            throw new UnusableFileException(setting, "cannot read " + file + ": " + reason(e), e);
        }
    }

    /** Words instead of exception class names; the JDK's messages are often just the path. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        String m = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
    }
}
