package org.reseq.model.security;

import java.util.List;
import org.reseq.model.guard.AddressList;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The suite's security settings under {@code reseq.security.*}, the same for every service that
 * takes them (ingress, egress, transform worker). An entry that is neither a CIDR block nor a
 * host pattern stops the service at start-up, naming it.
 *
 * @param enabled turns the suite's protections on; for now it refuses loopback destinations
 *        unless {@code destinations.allow} names them (default false)
 * @param destinations where destinations may and may not connect
 */
@ConfigurationProperties("reseq.security")
public record SecurityProperties(boolean enabled, Destinations destinations) {

    public SecurityProperties {
        destinations = destinations == null ? new Destinations(null, null) : destinations;
    }

    /**
     * Entries are CIDR blocks or lone addresses ({@code 10.0.0.0/8}, {@code ::1}), matched against
     * every address a destination's host resolves to, or host patterns ({@code *.internal.example},
     * {@code sink.example}), matched against the host as the destination names it.
     *
     * @param allow opens what is refused by default (loopback while security is enabled), never
     *        the suite's own stores or link-local and metadata addresses
     * @param deny refused besides; deny wins over allow
     */
    public record Destinations(List<String> allow, List<String> deny) {

        private static final String ALLOW = "reseq.security.destinations.allow";
        private static final String DENY = "reseq.security.destinations.deny";

        public Destinations {
            allow = allow == null ? List.of() : List.copyOf(allow);
            deny = deny == null ? List.of() : List.copyOf(deny);
            // Read once here so that a bad entry stops the start rather than the first check.
            AddressList.parse(ALLOW, allow);
            AddressList.parse(DENY, deny);
        }

        public AddressList allowList() {
            return AddressList.parse(ALLOW, allow);
        }

        public AddressList denyList() {
            return AddressList.parse(DENY, deny);
        }
    }
}
