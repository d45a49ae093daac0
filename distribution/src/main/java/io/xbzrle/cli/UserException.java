package io.xbzrle.cli;

/** A fault of the input or the usage: reported as one line, exit 2 unless told otherwise. */
final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    UserException(String message) {
        this(message, null);
    }

    UserException(String message, Throwable cause) {
        this(message, cause, ExitCodes.USAGE);
    }

    UserException(String message, Throwable cause, int exitCode) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
