package io.dflockd.server;

import java.util.function.UnaryOperator;

/**
 * A setting's value cannot be used (out of range, missing its companion). The message names the
 * setting by its flag; the command line re-renders it with the environment variable instead when
 * that is where the value came from, so the user is pointed at the place to fix.
 */
final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String template;

    /**
     * @param setting  the flag, e.g. {@code --port}
     * @param template the message, with {@code {}} where the setting's name goes
     */
    InvalidSettingException(String setting, String template) {
        super(template.replace("{}", setting));
        this.setting = setting;
        this.template = template;
    }

    /** The message with the setting named by {@code sourceOf} (flag to flag or variable name). */
    String describe(UnaryOperator<String> sourceOf) {
        return template.replace("{}", sourceOf.apply(setting));
    }
}
