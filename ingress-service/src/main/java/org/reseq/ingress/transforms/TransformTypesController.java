package org.reseq.ingress.transforms;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.reseq.ingress.web.ApiException;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.transform.PublishedTypes;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /admin/v1/transform-types}: every transform type a destination may name, built-in
 * or published by a worker's plugin, with its configuration schema and how many live workers
 * run it.
 */
@RestController
@RequestMapping("/admin/v1/transform-types")
class TransformTypesController {

    private final TransformTypes types;
    private final JsonMapper json;

    TransformTypesController(TransformTypes types, JsonMapper json) {
        this.types = types;
        this.json = json;
    }

    /**
     * One type.
     *
     * @param name what {@code transforms[i].type} names
     * @param builtIn whether reseq has it built in (its fields are in the API documentation)
     * @param liveWorkers workers that published it in the last 30 s
     * @param lastPublishedAt when a worker last published it; absent when none has
     * @param configSchema a plugin's JSON Schema of its fields; absent for built-ins
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TypeView(String name, boolean builtIn, int liveWorkers, Instant lastPublishedAt, JsonNode configSchema) {
    }

    @GetMapping
    List<TypeView> list() {
        PublishedTypes published;
        try {
            published = types.published();
        } catch (RuntimeException e) {
            throw ApiException.storeUnavailable("The transform types the workers run cannot be read from Redis", e);
        }
        Map<String, TypeView> views = new TreeMap<>();
        TransformSpec.BUILT_IN_TYPES.forEach(name -> views.put(name, new TypeView(name, true, 0, null, null)));
        published.types().forEach((name, type) -> views.put(name, new TypeView(name, type.type().isBuiltIn(),
                type.liveWorkers(), type.lastSeen(), schema(type.type().configSchema()))));
        return new ArrayList<>(views.values());
    }

    private JsonNode schema(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (RuntimeException e) {
            return json.getNodeFactory().stringNode(text);
        }
    }
}
