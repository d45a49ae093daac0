package io.xbzrle.migration.plugins;

/** A plugin that cannot be found or loaded; the message is one line a user can act on. */
public final class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
