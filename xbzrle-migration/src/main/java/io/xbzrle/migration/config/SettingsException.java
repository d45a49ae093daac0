package io.xbzrle.migration.config;

/** A setting that is unknown, of the wrong type or out of range; the message names it. */
public final class SettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
        super(message);
    }

    public SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
