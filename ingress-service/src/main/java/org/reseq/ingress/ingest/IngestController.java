package org.reseq.ingress.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.reseq.ingress.IngressProperties;
import org.reseq.ingress.commit.CommitOutcome;
import org.reseq.ingress.commit.CommitPipeline;
import org.reseq.ingress.commit.JdbcReceipts;
import org.reseq.ingress.commit.PendingMessage;
import org.reseq.ingress.commit.Receipt;
import org.reseq.ingress.web.ApiException;
import org.reseq.model.Names;
import org.reseq.model.destination.Violation;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/channels/{channel}/messages}: accepts any body, and answers 202 only after
 * the message and its deliveries are committed. Runs on the request's (virtual) thread, which
 * waits for the commit pipeline.
 */
@RestController
class IngestController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;

    private final CommitPipeline pipeline;
    private final JdbcReceipts receipts;
    private final MessageIds ids;
    private final Clock clock;
    private final PayloadReader payloads;
    private final Counter replayed;

    IngestController(CommitPipeline pipeline, JdbcReceipts receipts, MessageIds ids, Clock clock,
            IngressProperties properties, MeterRegistry registry) {
        this.pipeline = pipeline;
        this.receipts = receipts;
        this.ids = ids;
        this.clock = clock;
        this.payloads = new PayloadReader(properties.ingest().maxPayloadSize().toBytes());
        this.replayed = Counter.builder("reseq.ingress.messages.replayed")
                .description("Repeats answered from an earlier message with the same idempotency key")
                .register(registry);
    }

    @PostMapping(path = "/api/v1/channels/{channel}/messages", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Receipt> ingest(@PathVariable String channel,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            HttpServletRequest request) {
        if (idempotencyKey != null
                && (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw ApiException.invalid(List.of(new Violation(IDEMPOTENCY_KEY,
                    "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters")));
        }
        if (!Names.isValid(channel)) {
            throw unknownChannel(channel);
        }
        byte[] payload = payloads.read(request);
        if (idempotencyKey != null) {
            // The common repeat (a sender retrying) is answered without queueing for a commit.
            Optional<Receipt> original = findOriginal(channel, idempotencyKey);
            if (original.isPresent()) {
                replayed.increment();
                return replay(original.get());
            }
        }
        String contentType = request.getContentType();
        PendingMessage message = new PendingMessage(ids.next(), channel,
                contentType == null || contentType.isBlank() ? MediaType.APPLICATION_OCTET_STREAM_VALUE : contentType,
                payload, clock.instant(), idempotencyKey);
        return switch (await(message)) {
            case CommitOutcome.Accepted accepted -> ResponseEntity.status(HttpStatus.ACCEPTED).body(accepted.receipt());
            case CommitOutcome.Replayed repeat -> replay(repeat.original());
            case CommitOutcome.UnknownChannel unknown -> throw unknownChannel(unknown.channel());
        };
    }

    private Optional<Receipt> findOriginal(String channel, String idempotencyKey) {
        try {
            return receipts.find(channel, idempotencyKey);
        } catch (SQLException e) {
            throw ApiException.storeUnavailable("The store cannot be reached; nothing was accepted, retry", e);
        }
    }

    private CommitOutcome await(PendingMessage message) {
        try {
            return pipeline.submit(message).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.storeUnavailable("Interrupted while waiting for the commit; retry", e);
        } catch (ExecutionException e) {
            throw ApiException.storeUnavailable("The message could not be committed; nothing was accepted, retry",
                    e.getCause());
        }
    }

    private static ResponseEntity<Receipt> replay(Receipt original) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).header(REPLAYED, "true").body(original);
    }

    private static ApiException unknownChannel(String channel) {
        return ApiException.notFound("No channel named '" + channel + "'");
    }
}
