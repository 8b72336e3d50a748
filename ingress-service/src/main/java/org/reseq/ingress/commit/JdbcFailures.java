package org.reseq.ingress.commit;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells a failure to reach PostgreSQL (no connection to be had, or the server cut it) from a
 * failure of the work itself. Only the former says anything about the next attempt: it would
 * fail the same way, after waiting as long.
 */
final class JdbcFailures {

    /** SQLSTATE admin_shutdown, crash_shutdown and cannot_connect_now: the server is going or not there yet. */
    private static final Set<String> SERVER_GONE = Set.of("57P01", "57P02", "57P03");
    /** Causes looked through at most, in case a chain loops. */
    private static final int DEPTH = 16;

    private JdbcFailures() {
    }

    /** Whether {@code failure}, or one of its causes, says the store cannot be reached. */
    static boolean unreachable(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SERVER_GONE.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
