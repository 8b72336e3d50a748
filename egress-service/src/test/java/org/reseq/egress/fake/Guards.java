package org.reseq.egress.fake;

import org.reseq.model.guard.AddressList;
import org.reseq.model.guard.AddressResolver;
import org.reseq.model.guard.DestinationGuard;
import org.reseq.model.guard.DestinationRules;
import org.reseq.model.guard.SuiteStores;

/** Destination guards for tests of a channel alone, without the suite's stores to protect. */
public final class Guards {

    private Guards() {
    }

    /** As with security off: the loopback receivers of the tests are allowed. */
    public static DestinationGuard open() {
        return guard(false);
    }

    /** As with security on and nothing allowed: every loopback receiver is refused. */
    public static DestinationGuard refusingLoopback() {
        return guard(true);
    }

    private static DestinationGuard guard(boolean securityEnabled) {
        return new DestinationGuard(new DestinationRules(securityEnabled, AddressList.EMPTY, AddressList.EMPTY,
                SuiteStores.NONE), AddressResolver.SYSTEM);
    }
}
