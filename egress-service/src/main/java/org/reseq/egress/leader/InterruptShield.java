package org.reseq.egress.leader;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs a blocking JDBC call on a helper virtual thread while the leader waits for it.
 *
 * <p>Why: a leader is stopped by interrupting its thread. Unshielded, an interrupted JDBC call
 * either waits for PostgreSQL's answer regardless (on a platform thread, as leaders run now) or,
 * on a virtual thread, closes the socket and breaks a pooled database connection. Shielded, an
 * interrupt only ends the leader's wait, at once; the call itself completes on the helper thread
 * and hands its connection back to the pool intact. A call whose outcome the leader never saw must therefore be
 * safe to repeat (reads, and cursor writes of the same position are).
 */
final class InterruptShield {

    private InterruptShield() {
    }

    static <T> T call(Callable<T> call) throws Exception {
        FutureTask<T> task = new FutureTask<>(call);
        Thread.ofVirtual().name("egress-jdbc").start(task);
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception failure) {
                throw failure;
            }
            throw (Error) e.getCause();
        }
    }
}
