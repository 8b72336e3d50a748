package org.reseq.model.security;

import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reseq.model.guard.AddressList;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The suite's security settings under {@code reseq.security.*}, the same for every service that
 * takes them (ingress, egress, transform worker). An entry that is neither a CIDR block nor a
 * host pattern stops the service at start-up, naming it.
 *
 * @param enabled turns the suite's protections on: every request but health needs a credential
 *        with the right role, and loopback destinations are refused unless
 *        {@code destinations.allow} names them (default false)
 * @param destinations where destinations may and may not connect
 * @param apiKeys the API keys, by the name the audit log records for them
 * @param jwt how the claims of an OAuth2 / OIDC access token map to roles and channels; tokens
 *        are accepted once Spring's {@code spring.security.oauth2.resourceserver.jwt.*} is set
 */
@ConfigurationProperties("reseq.security")
public record SecurityProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue Destinations destinations,
        Map<String, ApiKey> apiKeys,
        @DefaultValue Jwt jwt) {

    public SecurityProperties {
        apiKeys = apiKeys == null ? Map.of() : new LinkedHashMap<>(apiKeys);
        apiKeys.forEach((name, key) -> key.check("reseq.security.api-keys." + name));
        apiKeys = Map.copyOf(apiKeys);
    }

    /**
     * One API key, presented as {@code Authorization: Bearer <key>}. Exactly one of {@code key}
     * and {@code keySha256} is set.
     *
     * @param key the key itself, for development and tests
     * @param keySha256 the key's SHA-256 digest in hex, so that the configuration holds no secret
     * @param roles what the key may do
     * @param channels for {@link Role#INGEST}: the channels it may post to, names or prefixes
     *        ending in {@code *}; none means every channel
     */
    public record ApiKey(String key, String keySha256, Set<Role> roles, List<String> channels) {

        public ApiKey {
            roles = roles == null || roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
            channels = channels == null ? List.of() : List.copyOf(channels);
        }

        private void check(String setting) {
            if ((key == null || key.isEmpty()) == (keySha256 == null || keySha256.isEmpty())) {
                throw new IllegalArgumentException(setting + ": set exactly one of key and key-sha256");
            }
            if (keySha256 != null && !keySha256.isEmpty() && !keySha256.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(setting + ".key-sha256: must be 64 hexadecimal digits");
            }
            if (roles.isEmpty()) {
                throw new IllegalArgumentException(setting + ".roles: name at least one of INGEST, READ, ADMIN");
            }
            if (!channels.isEmpty() && !roles.contains(Role.INGEST)) {
                throw new IllegalArgumentException(setting + ".channels: only a key with the role INGEST posts"
                        + " to channels");
            }
            ChannelPatterns.of(setting + ".channels", channels);
        }

        /** The key's SHA-256 digest, the only form in which it is compared and kept in memory. */
        public byte[] digest() {
            return keySha256 != null && !keySha256.isEmpty()
                    ? HexFormat.of().parseHex(keySha256.toLowerCase(java.util.Locale.ROOT))
                    : ApiKeyDigest.of(key);
        }

        /** Never the key: configuration is printed by failure analyzers and debug logs. */
        @Override
        public String toString() {
            return "ApiKey[roles=" + roles + ", channels=" + channels + "]";
        }
    }

    /**
     * Claims of an access token.
     *
     * @param rolesClaim the claim listing the token's roles, as an array or a space-separated
     *        string of role names, case ignored (default {@code roles})
     * @param channelsClaim the claim listing the channels an {@code INGEST} token may post to,
     *        like an API key's {@code channels}; absent means every channel (default {@code channels})
     * @param principalClaim the claim naming the caller in the audit log (default {@code sub})
     */
    public record Jwt(
            @DefaultValue("roles") String rolesClaim,
            @DefaultValue("channels") String channelsClaim,
            @DefaultValue("sub") String principalClaim) {
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
