package org.reseq.egress;

import java.util.concurrent.Callable;
import java.util.function.IntSupplier;

/** For Awaitility: true once the watched size did not change since the previous poll (the sender went quiet). */
final class SizeStaysPut implements Callable<Boolean> {

    private final IntSupplier size;
    private int previous = -1;

    SizeStaysPut(IntSupplier size) {
        this.size = size;
    }

    @Override
    public Boolean call() {
        int now = size.getAsInt();
        boolean unchanged = now == previous;
        previous = now;
        return unchanged;
    }
}
