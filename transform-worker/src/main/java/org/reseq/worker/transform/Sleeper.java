package org.reseq.worker.transform;

import java.time.Duration;

/** Waits, interruptibly. A seam so tests can observe waits instead of sitting through them. */
@FunctionalInterface
public interface Sleeper {

    /** The real thing: {@link Thread#sleep(Duration)}. */
    Sleeper THREAD = Thread::sleep;

    void sleep(Duration duration) throws InterruptedException;
}
