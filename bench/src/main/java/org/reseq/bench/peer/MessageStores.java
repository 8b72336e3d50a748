package org.reseq.bench.peer;

import org.springframework.integration.store.MessageGroupStore;
import org.springframework.integration.store.SimpleMessageStore;

/** Opens a fresh, empty message group store for one run. */
@FunctionalInterface
interface MessageStores {

    Opened open() throws Exception;

    /** A store and what must be closed with it. */
    interface Opened extends AutoCloseable {
        MessageGroupStore store();

        @Override
        void close() throws Exception;
    }

    static MessageStores inMemory() {
        return () -> new Opened() {
            private final SimpleMessageStore store = new SimpleMessageStore();

            @Override
            public MessageGroupStore store() {
                return store;
            }

            @Override
            public void close() {
                // Nothing outside the heap.
            }
        };
    }

    static MessageStores postgres(PeerSettings settings) {
        return () -> IntegrationDatabase.open(settings);
    }
}
