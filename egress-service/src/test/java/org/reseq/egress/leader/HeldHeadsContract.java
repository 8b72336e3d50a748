package org.reseq.egress.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.reseq.model.redis.HeldHead;
import org.reseq.model.redis.Incarnation;

/** What the leaders and the admin API rely on from {@link HeldHeads}, against Redis and the fake. */
abstract class HeldHeadsContract {

    private final Incarnation incarnation = new Incarnation("held-" + UUID.randomUUID(), 1);

    abstract HeldHeads heldHeads();

    @Test
    void aHeldHeadIsShownUntilCleared() {
        assertThat(heldHeads().held(incarnation)).isEmpty();

        heldHeads().hold(incarnation, 7, "422 Unprocessable Content");

        assertThat(heldHeads().held(incarnation)).contains(new HeldHead(7, "422 Unprocessable Content"));
        heldHeads().clear(incarnation);
        assertThat(heldHeads().held(incarnation)).isEmpty();
    }

    @Test
    void aLaterHoldReplacesAnEarlierOneAndIncarnationsAreApart() {
        heldHeads().hold(incarnation, 7, "first");
        heldHeads().hold(incarnation, 8, "second");

        assertThat(heldHeads().held(incarnation)).contains(new HeldHead(8, "second"));
        assertThat(heldHeads().held(new Incarnation(incarnation.destination(), 2))).isEmpty();
    }
}
