package org.reseq.ingress.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reseq.ingress.transforms.TransformTypes;
import org.reseq.ingress.web.ApiException;
import org.reseq.ingress.web.BodyReader;
import org.reseq.model.Names;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.Violation;
import org.reseq.model.failure.ErrorTexts;
import org.reseq.model.guard.DestinationGuard;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /admin/v1/destinations}: create, replace, read, delete, pause and resume destinations.
 * Pausing and resuming are operator actions and recorded as such. A configuration that sends
 * anywhere the destination guard refuses is invalid ({@link DestinationTargets}). Secrets are
 * write-only: reads mask them, and a PUT may send the masks back to keep them
 * ({@link DestinationSecrets}).
 */
@RestController
@RequestMapping(path = "/admin/v1/destinations", produces = MediaType.APPLICATION_JSON_VALUE)
class DestinationAdminController {

    private static final Logger log = LoggerFactory.getLogger(DestinationAdminController.class);
    /** The largest destination configuration accepted (413 beyond). */
    static final int MAX_CONFIGURATION_BYTES = 64 * 1024;
    private static final BodyReader CONFIGURATIONS = new BodyReader(MAX_CONFIGURATION_BYTES);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final DestinationStore store;
    private final DestinationStatusReader statuses;
    private final RedisTemplate<String, byte[]> redis;
    private final RedisKeys keys;
    private final JsonMapper json;
    private final OperatorActions actions;
    private final TransactionTemplate transactions;
    private final DestinationChangeSignals changes;
    private final DestinationGuard guard;
    private final TransformTypes transformTypes;

    DestinationAdminController(DestinationStore store, DestinationStatusReader statuses,
            RedisTemplate<String, byte[]> redis, RedisKeys keys, JsonMapper json, OperatorActions actions,
            TransactionTemplate transactions, DestinationChangeSignals changes, DestinationGuard guard,
            TransformTypes transformTypes) {
        this.store = store;
        this.statuses = statuses;
        this.redis = redis;
        this.keys = keys;
        this.json = json;
        this.actions = actions;
        this.transactions = transactions;
        this.changes = changes;
        this.guard = guard;
        this.transformTypes = transformTypes;
    }

    @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> put(@PathVariable String name, HttpServletRequest request) {
        // Every work item carries the configuration, so its size is bounded like a payload's.
        byte[] body = CONFIGURATIONS.read(request);
        List<Violation> violations = new ArrayList<>();
        if (!Names.isValid(name)) {
            violations.add(new Violation("name", Names.RULE));
        }
        DestinationConfig config = null;
        try {
            config = DestinationSecrets.restored(DestinationConfigJson.read(body), storedConfig(name), violations);
            violations.addAll(config.violations());
        } catch (DestinationConfigJson.InvalidConfigException e) {
            violations.addAll(e.violations());
        }
        if (violations.isEmpty()) {
            violations.addAll(transformTypes.refused(config));
            violations.addAll(DestinationTargets.refused(config, guard));
        }
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        String configJson = DestinationConfigJson.write(config);
        Map<String, Object> view = view(name, config, null);
        boolean created = store.upsert(name, configJson);
        changes.changed(name);
        if (created) {
            return ResponseEntity.created(URI.create("/admin/v1/destinations/" + name)).body(view);
        }
        return ResponseEntity.ok(view);
    }

    @GetMapping
    List<Map<String, Object>> list() {
        return store.all().stream().map(this::view).toList();
    }

    @GetMapping("/{name}")
    Map<String, Object> get(@PathVariable String name) {
        return store.find(name).map(this::view).orElseThrow(() -> missing(name));
    }

    /**
     * Deletes the destination, then its Redis keys. Refused while a channel routes to it, and
     * while it has acknowledged, undelivered messages unless {@code force}: then what was dropped
     * is recorded as a DELETE operator action. Every delete is recorded so.
     */
    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String name, @RequestParam(defaultValue = "false") boolean force,
            @RequestHeader(name = OperatorActions.ACTOR_HEADER, required = false) String actor,
            Principal caller) {
        String operator = OperatorActions.actor(caller, actor);
        DestinationStore.Deletion deletion = transactions.execute(status -> {
            DestinationStore.Deletion done = store.delete(name, force);
            if (done.outcome() == DestinationStore.Outcome.DELETED) {
                actions.record(name, "DELETE", null, operator, describe(done));
            }
            return done;
        });
        switch (deletion.outcome()) {
            case MISSING -> throw missing(name);
            case ROUTED -> refuseWhileRouted(name);
            case UNDELIVERED -> throw ApiException.conflict("Destination '" + name + "' has "
                    + deletion.undelivered() + " acknowledged message(s) not delivered yet (sequences "
                    + (deletion.delivered() + 1) + " to " + deletion.lastSequence()
                    + "); delete with ?force=true to drop them", Map.of("undelivered", deletion.undelivered(),
                    "deliveredSequence", deletion.delivered(), "lastSequence", deletion.lastSequence()));
            case DELETED -> {
                if (deletion.undelivered() > 0) {
                    log.warn("Destination {} deleted by force by {}: {}", name, operator == null ? "an operator"
                            : operator, describe(deletion));
                }
                changes.changed(name);
                deleteRedisKeys(deletion.incarnation());
            }
        }
        return ResponseEntity.noContent().build();
    }

    private static String describe(DestinationStore.Deletion deletion) {
        if (deletion.undelivered() == 0) {
            return "nothing undelivered; last sequence " + deletion.lastSequence();
        }
        return "dropped " + deletion.undelivered() + " undelivered message(s), sequences "
                + (deletion.delivered() + 1) + " to " + deletion.lastSequence();
    }

    @PostMapping("/{name}/pause")
    ResponseEntity<Void> pause(@PathVariable String name,
            @RequestHeader(name = OperatorActions.ACTOR_HEADER, required = false) String actor,
            Principal caller) {
        return setPaused(name, true, OperatorActions.actor(caller, actor));
    }

    @PostMapping("/{name}/resume")
    ResponseEntity<Void> resume(@PathVariable String name,
            @RequestHeader(name = OperatorActions.ACTOR_HEADER, required = false) String actor,
            Principal caller) {
        return setPaused(name, false, OperatorActions.actor(caller, actor));
    }

    /** Sets the flag and records the action (PAUSE or RESUME) in one transaction. */
    private ResponseEntity<Void> setPaused(String name, boolean paused, String actor) {
        Boolean found = transactions.execute(status -> {
            if (!store.setPaused(name, paused)) {
                return false;
            }
            actions.record(name, paused ? "PAUSE" : "RESUME", null, actor, null);
            return true;
        });
        if (!Boolean.TRUE.equals(found)) {
            throw missing(name);
        }
        changes.changed(name);
        return ResponseEntity.noContent().build();
    }

    private void refuseWhileRouted(String name) {
        List<String> channels = store.channelsRoutingTo(name);
        if (!channels.isEmpty()) {
            throw ApiException.conflict("Destination '" + name + "' is still routed to by channel(s) "
                    + String.join(", ", channels), Map.of("channels", channels));
        }
    }

    /**
     * Removes every Redis key of the destination. Best effort: the delete has committed, keys left
     * behind are never read by a later destination of the same name, and retention's
     * {@code RedisKeySweep} removes them later.
     */
    private void deleteRedisKeys(Incarnation deleted) {
        try {
            redis.delete(keys.all(deleted));
        } catch (RuntimeException e) {
            log.warn("Destination {} deleted; its Redis keys could not be removed: {}", deleted, e.toString());
        }
    }

    /**
     * The destination's stored configuration, which the masks of a PUT stand for; null when there
     * is none or it cannot be read (a mask then stands for nothing).
     */
    private DestinationConfig storedConfig(String name) {
        if (!Names.isValid(name)) {
            return null;
        }
        try {
            return store.find(name).map(row -> DestinationConfigJson.read(row.configJson())).orElse(null);
        } catch (DestinationConfigJson.InvalidConfigException e) {
            return null;
        }
    }

    private Map<String, Object> view(DestinationStore.Row row) {
        DestinationConfig config;
        try {
            config = DestinationConfigJson.read(row.configJson());
        } catch (RuntimeException e) {
            // One bad stored entry must not fail every read: show it as unreadable and go on.
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", row.name());
            view.put("unreadable", "the stored configuration cannot be read: " + ErrorTexts.clean(e.getMessage()));
            view.put("status", statuses.status(row, null));
            return view;
        }
        return view(row.name(), config, statuses.status(row, config));
    }

    /**
     * The name, then the configuration's fields with its secrets masked, then the status (when
     * given). Written through the shared codec: jsonb reorders keys, the API should not.
     */
    private Map<String, Object> view(String name, DestinationConfig config, DestinationStatus status) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.putAll(json.readValue(DestinationConfigJson.write(DestinationSecrets.masked(config)), MAP));
        if (status != null) {
            view.put("status", status);
        }
        return view;
    }

    private static ApiException missing(String name) {
        return ApiException.notFound("No destination named '" + name + "'");
    }
}
