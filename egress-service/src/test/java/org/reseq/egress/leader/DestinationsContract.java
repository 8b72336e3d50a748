package org.reseq.egress.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.model.destination.StoredDestination;

/**
 * What every {@link Destinations} answers, against the in-memory fake the leader's unit tests use
 * and against PostgreSQL: a destination as last stored, with its configuration and pause flag,
 * and nothing once it was deleted.
 */
abstract class DestinationsContract {

    static final String CONFIG = """
            {"type":"HTTP","url":"http://127.0.0.1:9/in","maxBatch":7,"onFailure":"DEAD_LETTER"}""";

    final String destination = "destinations-" + UUID.randomUUID().toString().substring(0, 8);

    abstract Destinations destinations();

    /** The admin API created the destination with {@code configJson}, not paused. */
    abstract void create(String name, String configJson) throws Exception;

    /** The admin API paused or resumed it. */
    abstract void paused(String name, boolean paused) throws Exception;

    /** The admin API deleted it. */
    abstract void delete(String name) throws Exception;

    @Test
    void anUnknownDestinationIsNotFound() throws Exception {
        assertThat(destinations().find("never-created-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void aDestinationIsFoundWithItsConfigurationAndNotPaused() throws Exception {
        create(destination, CONFIG);

        StoredDestination found = destinations().find(destination).orElseThrow();

        assertThat(found.name()).isEqualTo(destination);
        assertThat(found.paused()).isFalse();
        assertThat(found.config().type()).isEqualTo(DestinationType.HTTP);
        assertThat(found.config().url()).isEqualTo("http://127.0.0.1:9/in");
        assertThat(found.config().maxBatch()).isEqualTo(7);
        assertThat(found.config().onFailure()).isEqualTo(FailurePolicy.DEAD_LETTER);
    }

    @Test
    void aPauseAndAResumeAreSeenAtTheNextRead() throws Exception {
        create(destination, CONFIG);

        paused(destination, true);
        assertThat(destinations().find(destination).orElseThrow().paused()).isTrue();

        paused(destination, false);
        assertThat(destinations().find(destination).orElseThrow().paused()).isFalse();
    }

    @Test
    void aDeletedDestinationIsNotFound() throws Exception {
        create(destination, CONFIG);

        delete(destination);

        assertThat(destinations().find(destination)).isEmpty();
    }
}
