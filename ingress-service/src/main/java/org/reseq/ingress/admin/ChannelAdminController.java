package org.reseq.ingress.admin;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.reseq.ingress.web.ApiException;
import org.reseq.model.Names;
import org.reseq.model.destination.Violation;
import org.reseq.model.headers.TravellingHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/v1/channels}: create, replace, read and delete channels, their routes and the
 * sender headers their messages keep ({@code keepHeaders}, checked by {@link TravellingHeaders}).
 */
@RestController
@RequestMapping(path = "/admin/v1/channels", produces = MediaType.APPLICATION_JSON_VALUE)
class ChannelAdminController {

    /**
     * The body of a PUT; unknown fields are rejected by the strict request mapper.
     *
     * @param keepHeaders the sender headers to keep; absent keeps none
     */
    record ChannelRequest(List<String> destinations, List<String> keepHeaders) {
    }

    private final ChannelStore store;

    ChannelAdminController(ChannelStore store) {
        this.store = store;
    }

    @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ChannelStore.Channel> put(@PathVariable String name, @RequestBody ChannelRequest request) {
        List<Violation> violations = new ArrayList<>();
        if (!Names.isValid(name)) {
            violations.add(new Violation("name", Names.RULE));
        }
        List<String> destinations = request.destinations();
        if (destinations == null) {
            violations.add(new Violation("destinations", "is required"));
        } else if (destinations.isEmpty()) {
            violations.add(new Violation("destinations", "must name at least one destination"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < destinations.size(); i++) {
                String destination = destinations.get(i);
                if (!Names.isValid(destination)) {
                    violations.add(new Violation("destinations[" + i + "]", Names.RULE));
                } else if (!seen.add(destination)) {
                    violations.add(new Violation("destinations[" + i + "]", "is listed more than once"));
                }
            }
        }
        List<String> keepHeaders = request.keepHeaders() == null ? List.of() : request.keepHeaders();
        TravellingHeaders.validateNames("keepHeaders", keepHeaders, violations);
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        keepHeaders = List.copyOf(keepHeaders);
        ChannelStore.Write write = store.put(name, destinations, keepHeaders);
        if (!write.missing().isEmpty()) {
            for (int i = 0; i < destinations.size(); i++) {
                if (write.missing().contains(destinations.get(i))) {
                    violations.add(new Violation("destinations[" + i + "]", "no such destination"));
                }
            }
            throw ApiException.invalid(violations);
        }
        ChannelStore.Channel channel = new ChannelStore.Channel(name, List.copyOf(destinations), keepHeaders);
        return write.created()
                ? ResponseEntity.created(URI.create("/admin/v1/channels/" + name)).body(channel)
                : ResponseEntity.ok(channel);
    }

    @GetMapping
    List<ChannelStore.Channel> list() {
        return store.all();
    }

    @GetMapping("/{name}")
    ChannelStore.Channel get(@PathVariable String name) {
        return store.find(name).orElseThrow(() -> missing(name));
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String name) {
        if (!store.delete(name)) {
            throw missing(name);
        }
        return ResponseEntity.noContent().build();
    }

    private static ApiException missing(String name) {
        return ApiException.notFound("No channel named '" + name + "'");
    }
}
