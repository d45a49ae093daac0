package io.xbzrle.cli;

/** The command's exit codes: a contract with scripts (DESIGN §7). */
final class ExitCodes {
    /** Completed (and verified). */
    static final int OK = 0;
    /** Failed, cancelled, did not converge, or verification mismatch. */
    static final int FAILED = 1;
    /** Bad usage or bad input: unreadable or corrupt file, bad configuration. */
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
