package org.reseq.resequencer.failure;

import java.util.Optional;
import org.reseq.model.failure.OperatorCommand;

/**
 * A destination's queue of operator commands for its resequencer leader (RETRY and SKIP of a
 * blocked head). The admin API records each command and appends it; only the destination's
 * leader takes them, one at a time, after carrying each out, so that a command interrupted by an
 * outage is carried out again (both are harmless to repeat: the second finds no blocked head).
 */
public interface OperatorCommands {

    /** The oldest command, left in the queue; unreadable entries are dropped on the way (logged). */
    Optional<OperatorCommand> peek(String destination);

    /** Removes the oldest command, once it was carried out (or ignored). */
    void taken(String destination);
}
