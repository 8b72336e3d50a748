package org.reseq.ingress.admin;

import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.reseq.ingress.web.ApiException;
import org.reseq.model.destination.Violation;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.redis.HeldHead;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.TransformResult;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator controls of a destination: its dead letters, retrying or skipping a blocked head of
 * line, redelivering a dead letter, and the audit trail of operator actions. Commands are recorded
 * and queued here; the destination's leaders carry them out (and ignore one that no longer applies).
 */
@RestController
@RequestMapping(path = "/admin/v1/destinations/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
class OperatorController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** A dead letter in a list: everything but the payload. */
    record DeadLetterSummary(long sequence, UUID messageId, DeadLetter.Stage stage, String error, int attempts,
            String contentType, Instant deadLetteredAt, Instant redeliveredAt) {

        static DeadLetterSummary of(DeadLetter letter) {
            return new DeadLetterSummary(letter.sequence(), letter.messageId(), letter.stage(), letter.error(),
                    letter.attempts(), letter.contentType(), letter.deadLetteredAt(), letter.redeliveredAt());
        }
    }

    /** One dead letter, with its kept payload in base64. */
    record DeadLetterView(long sequence, UUID messageId, DeadLetter.Stage stage, String error, int attempts,
            String contentType, Instant deadLetteredAt, Instant redeliveredAt, String payload) {

        static DeadLetterView of(DeadLetter letter) {
            return new DeadLetterView(letter.sequence(), letter.messageId(), letter.stage(), letter.error(),
                    letter.attempts(), letter.contentType(), letter.deadLetteredAt(), letter.redeliveredAt(),
                    Base64.getEncoder().encodeToString(letter.payload()));
        }
    }

    private final DestinationStore destinations;
    private final DestinationStatusReader statuses;
    private final DeadLetterStore deadLetters;
    private final OperatorActions actions;
    private final OperatorCommands commands;

    OperatorController(DestinationStore destinations, DestinationStatusReader statuses, DeadLetterStore deadLetters,
            OperatorActions actions, OperatorCommands commands) {
        this.destinations = destinations;
        this.statuses = statuses;
        this.deadLetters = deadLetters;
        this.actions = actions;
        this.commands = commands;
    }

    @GetMapping("/dead-letters")
    List<DeadLetterSummary> deadLetters(@PathVariable String name,
            @RequestParam(required = false) String after, @RequestParam(required = false) String limit) {
        List<Violation> violations = new ArrayList<>();
        long afterSequence = number("after", after, 0, 0, Long.MAX_VALUE, violations);
        long count = number("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT, violations);
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        requireDestination(name);
        return deadLetters.list(name, afterSequence, (int) count).stream().map(DeadLetterSummary::of).toList();
    }

    @GetMapping("/dead-letters/{sequence}")
    DeadLetterView deadLetter(@PathVariable String name, @PathVariable long sequence) {
        return DeadLetterView.of(requireDeadLetter(name, sequence));
    }

    @PostMapping("/dead-letters/{sequence}/redeliver")
    ResponseEntity<OperatorActions.Action> redeliver(@PathVariable String name, @PathVariable long sequence,
            @RequestHeader(name = OperatorActions.ACTOR_HEADER, required = false) String actorHeader,
            Principal caller) {
        String actor = OperatorActions.actor(caller, actorHeader);
        DeadLetter letter = requireDeadLetter(name, sequence);
        String detail = "dead letter of stage " + letter.stage() + ": " + letter.error();
        return accepted(commands.queue(requireDestination(name), new OperatorCommand(OperatorCommand.Action.REDELIVER, sequence), actor,
                detail));
    }

    /** Asks the resequencer to transform the failed head of line again. */
    @PostMapping("/head/retry")
    ResponseEntity<OperatorActions.Action> retryHead(@PathVariable String name,
            @RequestHeader(name = OperatorActions.ACTOR_HEADER, required = false) String actorHeader,
            Principal caller) {
        return head(name, OperatorCommand.Action.RETRY, OperatorActions.actor(caller, actorHeader));
    }

    /** Asks the resequencer to dead-letter the head of line (failed, or without a result) and go on. */
    @PostMapping("/head/skip")
    ResponseEntity<OperatorActions.Action> skipHead(@PathVariable String name,
            @RequestHeader(name = OperatorActions.ACTOR_HEADER, required = false) String actorHeader,
            Principal caller) {
        return head(name, OperatorCommand.Action.SKIP, OperatorActions.actor(caller, actorHeader));
    }

    @GetMapping("/actions")
    List<OperatorActions.Action> actions(@PathVariable String name, @RequestParam(required = false) String limit) {
        List<Violation> violations = new ArrayList<>();
        long count = number("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT, violations);
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        // The trail outlives its destination: a deleted one's actions, its DELETE last, stay readable.
        List<OperatorActions.Action> recorded = actions.list(name, (int) count);
        if (recorded.isEmpty()) {
            requireDestination(name);
        }
        return recorded;
    }

    /**
     * Queues RETRY or SKIP for the head that blocks the destination. First the one egress holds at
     * delivered + 1 (rejected for good, or not fitting the framing, under BLOCK): the command goes
     * to egress. Otherwise the resequencer's head (released + 1) when it is blocked: it has a
     * failed result, or (SKIP only) no result at all. The checks read what the leaders show, but
     * the leader decides: it checks again when the command arrives.
     */
    private ResponseEntity<OperatorActions.Action> head(String name, OperatorCommand.Action action, String actor) {
        DestinationStore.Row row = destinations.find(name).orElseThrow(() -> missing(name));
        Optional<HeldHead> held = statuses.heldByEgress(row);
        if (held.isPresent()) {
            // the front-most blockage: everything released after it waits for it
            return accepted(commands.queueForEgress(row.incarnation(),
                    new OperatorCommand(action, held.get().sequence()), actor, "held by egress: " + held.get().why()));
        }
        if (row.released() >= row.lastSequence()) {
            throw ApiException.headNotBlocked("Destination '" + name + "' has no head of line: every delivery up to "
                    + row.released() + " is released", Map.of("releasedSequence", row.released()));
        }
        long head = row.released() + 1;
        Optional<TransformResult> result;
        try {
            result = statuses.result(row.incarnation(), head);
        } catch (DestinationStatusReader.UnreadableResultException e) {
            // the resequencer discards an unreadable result and has the work done again
            result = Optional.empty();
        }
        boolean failed = result.isPresent() && !result.get().ok();
        boolean allowed = failed || (action == OperatorCommand.Action.SKIP && result.isEmpty());
        if (!allowed) {
            String state = result.isEmpty() ? "PROCESSING" : "DONE";
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("sequence", head);
            properties.put("state", state);
            throw ApiException.headNotBlocked("The head of line " + head + " of '" + name + "' is " + state
                    + ", not failed; only a failed head can be " + (action == OperatorCommand.Action.RETRY
                            ? "retried" : "skipped (or one without a result)"), properties);
        }
        String detail = failed
                ? "failed after " + result.get().attempts() + " attempt(s): " + result.get().error()
                : "no result yet";
        return accepted(commands.queue(row.incarnation(), new OperatorCommand(action, head), actor, detail));
    }

    private DeadLetter requireDeadLetter(String name, long sequence) {
        requireDestination(name);
        return deadLetters.find(name, sequence).orElseThrow(() -> ApiException.notFound(
                "Destination '" + name + "' has no dead letter at sequence " + sequence));
    }

    private Incarnation requireDestination(String name) {
        return destinations.incarnation(name).orElseThrow(() -> missing(name));
    }

    private static ResponseEntity<OperatorActions.Action> accepted(OperatorActions.Action action) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(action);
    }

    /** A whole-number query parameter within [min, max], the default when absent. */
    private static long number(String field, String text, long defaultValue, long min, long max,
            List<Violation> violations) {
        if (text == null) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        violations.add(new Violation(field, max == Long.MAX_VALUE
                ? "must be a whole number of at least " + min
                : "must be a whole number from " + min + " to " + max));
        return defaultValue;
    }

    private static ApiException missing(String name) {
        return ApiException.notFound("No destination named '" + name + "'");
    }
}
