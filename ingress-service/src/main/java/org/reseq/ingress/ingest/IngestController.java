package org.reseq.ingress.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.reseq.ingress.IngressProperties;
import org.reseq.ingress.backpressure.BackpressureGate;
import org.reseq.ingress.backpressure.DestinationBacklog;
import org.reseq.ingress.commit.BatchRefusedException;
import org.reseq.ingress.commit.CommitOutcome;
import org.reseq.ingress.commit.CommitPipeline;
import org.reseq.ingress.commit.JdbcReceipts;
import org.reseq.ingress.commit.KeyHolder;
import org.reseq.ingress.commit.PendingMessage;
import org.reseq.ingress.commit.Receipt;
import org.reseq.ingress.web.ApiException;
import org.reseq.ingress.web.BodyReader;
import org.reseq.model.Names;
import org.reseq.model.destination.Violation;
import org.reseq.model.tracing.MessageTracing;
import org.reseq.model.tracing.Traceparent;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/channels/{channel}/messages}: accepts any body, and answers 202 only after
 * the message and its deliveries are committed. Runs on the request's (virtual) thread, which
 * waits for the commit pipeline. While a destination of the channel is over its
 * {@code maxBacklog}, new messages get 429; repeats of a stored idempotency key are still
 * answered, as they add nothing. A repeat is the same payload and content type under the same key;
 * a different message under a key that is held gets 422 and is not stored, so a reused key can
 * never pass a new message off as one taken earlier. The request headers the channel keeps
 * ({@code keepHeaders}) are stored with the message; one that cannot travel (too long, not one
 * line) gets 400 naming {@code headers.<Name>} and nothing is stored. Headers are no part of a
 * repeat: a repeat is answered whatever its headers, and the message keeps its first ones.
 *
 * <p>Each message stores the trace context of the request's server span, which continues the
 * sender's {@code traceparent} when it sent one: the spans of every later step hang from it. A
 * batch is one request and so one span: its messages share it.
 *
 * <p>The receipt is serialized here rather than by a message converter, so that the answer
 * carries a {@code Content-Length} and goes out in one write: a converter flushes what it
 * wrote, which commits the response as chunked and costs a second write for the last chunk,
 * on every message.
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
    private final BodyReader payloads;
    private final BodyReader batches;
    private final BatchItems batchItems;
    private final BackpressureGate backpressure;
    private final JsonMapper json;
    private final MessageTracing tracing;
    private final Counter replayed;
    private final Counter refused;
    private final Counter keyReused;

    IngestController(CommitPipeline pipeline, JdbcReceipts receipts, MessageIds ids, Clock clock,
            BackpressureGate backpressure, JsonMapper json, IngressProperties properties, MeterRegistry registry,
            MessageTracing tracing) {
        this.pipeline = pipeline;
        this.receipts = receipts;
        this.ids = ids;
        this.clock = clock;
        this.backpressure = backpressure;
        this.json = json;
        this.tracing = tracing;
        this.payloads = new BodyReader(properties.ingest().maxPayloadSize().toBytes());
        this.batches = new BodyReader(properties.ingest().maxBatchSize().toBytes());
        this.batchItems = new BatchItems(json, properties.ingest().maxBatchItems(),
                properties.ingest().maxPayloadSize().toBytes(), MAX_IDEMPOTENCY_KEY_LENGTH);
        this.replayed = Counter.builder("reseq.ingress.messages.replayed")
                .description("Repeats answered from an earlier message with the same idempotency key")
                .register(registry);
        this.refused = Counter.builder("reseq.ingress.messages.refused")
                .description("Messages refused with 429 because a destination's backlog is over its maxBacklog")
                .register(registry);
        this.keyReused = Counter.builder("reseq.ingress.messages.key-reused")
                .description("Messages refused with 422 because their idempotency key names a different message")
                .register(registry);
    }

    @PostMapping(path = "/api/v1/channels/{channel}/messages", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> ingest(@PathVariable String channel,
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
        String declared = request.getContentType();
        String contentType = declared == null || declared.isBlank() ? MediaType.APPLICATION_OCTET_STREAM_VALUE : declared;
        List<DestinationBacklog> overLimit = backpressure.overLimit(channel);
        if (!overLimit.isEmpty()) {
            // A repeat of a message taken earlier still gets its receipt, whatever the backlog.
            Optional<KeyHolder> holder = idempotencyKey == null ? Optional.empty()
                    : findHolder(channel, idempotencyKey);
            if (holder.isPresent()) {
                if (!holder.get().isRepeatedBy(contentType, payload)) {
                    throw keyReused(IDEMPOTENCY_KEY, "Idempotency-Key '" + idempotencyKey + "'", channel, "nothing");
                }
                replayed.increment(); // answered without a commit, so the commit does not count it
                return replay(holder.get().receipt());
            }
            refused.increment();
            throw backlogExceeded(overLimit);
        }
        PendingMessage message = new PendingMessage(ids.next(), channel, contentType, payload, clock.instant(),
                idempotencyKey, SentHeaders.of(request), tracing.current());
        return switch (committed(pipeline.submit(message), "The message", channel)) {
            case CommitOutcome.Accepted accepted -> ResponseEntity.status(HttpStatus.ACCEPTED)
                    .contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsBytes(accepted.receipt()));
            case CommitOutcome.Replayed repeat -> {
                // Repeats are told apart in the commit, with the rest of the batch: looking a key up
                // before every commit would cost every first message a query of its own. The commit
                // counts them (MeteredBatchCommitter); only those answered before it are counted here.
                yield replay(repeat.original());
            }
            case CommitOutcome.KeyReused reused -> throw keyReused(IDEMPOTENCY_KEY,
                    "Idempotency-Key '" + reused.idempotencyKey() + "'", reused.channel(), "nothing");
            case CommitOutcome.UnknownChannel unknown -> throw unknownChannel(unknown.channel());
            case CommitOutcome.HeadersRefused refused -> throw ApiException.invalid(refused.violations());
        };
    }

    /**
     * Many messages in one request, stored whole in one transaction of their own, in array order
     * (so their sequences are consecutive at each destination), and answered with one receipt per
     * item after the commit. Nothing is stored when an item is invalid ({@code 400} naming its
     * index), when an item's idempotency key names a different message ({@code 422}), or while a
     * destination of the channel is over its {@code maxBacklog} ({@code 429}). An item whose key
     * names the same message is answered with that message's receipt. The request's headers go
     * with every item: a kept one that cannot travel refuses the batch whole ({@code 400} naming
     * {@code headers.<Name>}).
     */
    @PostMapping(path = "/api/v1/channels/{channel}/messages/batch", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> ingestBatch(@PathVariable String channel, HttpServletRequest request) {
        if (!Names.isValid(channel)) {
            throw unknownChannel(channel);
        }
        MediaType contentType = batchContentType(request.getContentType());
        List<BatchItems.Item> items = batchItems.read(batches.read(request), contentType);
        List<DestinationBacklog> overLimit = backpressure.overLimit(channel);
        if (!overLimit.isEmpty()) {
            refused.increment(items.size());
            throw backlogExceeded(overLimit);
        }
        List<PendingMessage> messages = new ArrayList<>(items.size());
        Map<String, String> sentHeaders = SentHeaders.of(request);
        Traceparent traceparent = tracing.current();
        for (BatchItems.Item item : items) {
            messages.add(new PendingMessage(ids.next(), channel, item.contentType(), item.payload(), clock.instant(),
                    item.idempotencyKey(), sentHeaders, traceparent));
        }
        List<Receipt> receipts = new ArrayList<>(items.size());
        for (CommitOutcome outcome : committed(pipeline.submitWhole(messages), "The batch", channel)) {
            receipts.add(switch (outcome) {
                case CommitOutcome.Accepted accepted -> accepted.receipt();
                case CommitOutcome.Replayed repeat -> repeat.original();
                case CommitOutcome.KeyReused reused -> throw new IllegalStateException("Refused in a stored batch");
                case CommitOutcome.UnknownChannel unknown -> throw new IllegalStateException("Refused in a stored batch");
                case CommitOutcome.HeadersRefused refused -> throw new IllegalStateException("Refused in a stored batch");
            });
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).contentType(MediaType.APPLICATION_JSON)
                .body(json.writeValueAsBytes(Map.of("receipts", receipts)));
    }

    private static MediaType batchContentType(String declared) {
        MediaType type;
        try {
            type = declared == null ? MediaType.APPLICATION_JSON : MediaType.parseMediaType(declared);
        } catch (org.springframework.util.InvalidMimeTypeException e) {
            type = MediaType.APPLICATION_OCTET_STREAM;
        }
        if (!MediaType.APPLICATION_JSON.isCompatibleWith(type) && !BatchItems.NDJSON.isCompatibleWith(type)) {
            throw ApiException.unsupportedMediaType("A batch is application/json (an array of items) or"
                    + " application/x-ndjson (one item a line)");
        }
        return type;
    }

    private Optional<KeyHolder> findHolder(String channel, String idempotencyKey) {
        try {
            return receipts.find(channel, idempotencyKey);
        } catch (SQLException e) {
            throw ApiException.storeUnavailable("The store cannot be reached; nothing was accepted, retry", e);
        }
    }

    /**
     * Waits for a commit on the request's thread. A batch refused whole is told apart from a
     * commit that failed: the first is the sender's to fix, the second is for it to retry.
     *
     * @param what what was committed, for the 503's detail ("The message", "The batch")
     */
    private <T> T committed(CompletableFuture<T> commit, String what, String channel) {
        try {
            return commit.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.storeUnavailable("Interrupted while waiting for the commit; retry", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BatchRefusedException refused) {
                if (refused.outcome() instanceof CommitOutcome.HeadersRefused headers) {
                    // The request's headers go with every item: they are the request's to fix, not an item's.
                    throw ApiException.invalid(headers.violations());
                }
                throw refused.outcome() instanceof CommitOutcome.KeyReused reused
                        ? keyReused("[" + refused.index() + "].idempotencyKey", "Item " + refused.index()
                                + ": idempotency key '" + reused.idempotencyKey() + "'", channel, "nothing of the batch")
                        : unknownChannel(channel);
            }
            throw ApiException.storeUnavailable(what + " could not be committed; nothing was accepted, retry",
                    e.getCause());
        }
    }

    private ResponseEntity<byte[]> replay(Receipt original) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).header(REPLAYED, "true")
                .contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsBytes(original));
    }

    private ApiException backlogExceeded(List<DestinationBacklog> overLimit) {
        DestinationBacklog first = overLimit.getFirst();
        List<Map<String, Object>> destinations = overLimit.stream().map(backlog -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("destination", backlog.destination());
            entry.put("backlog", backlog.backlog());
            entry.put("maxBacklog", backlog.maxBacklog());
            return entry;
        }).toList();
        return ApiException.backlogExceeded("Destination '" + first.destination() + "' has " + first.backlog()
                        + " undelivered messages, more than its maxBacklog of " + first.maxBacklog()
                        + "; nothing was accepted, retry later",
                Map.of("destinations", destinations), backpressure.retryAfter());
    }

    /**
     * 422 for a key that names a different message.
     *
     * @param field the key's field in the request
     * @param key the key as the detail names it
     * @param unstored what was not stored, as the detail says it
     */
    private ApiException keyReused(String field, String key, String channel, String unstored) {
        keyReused.increment();
        return ApiException.idempotencyKeyReused(field, key + " already names a message with a different payload or"
                + " content type on channel '" + channel + "'; " + unstored + " was stored");
    }

    private static ApiException unknownChannel(String channel) {
        return ApiException.notFound("No channel named '" + channel + "'");
    }
}
