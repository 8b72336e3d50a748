package org.reseq.model.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Turns a validated access token into an authentication: its roles and channels from the claims
 * {@link SecurityProperties.Jwt} names, its name from the principal claim. Role names that are
 * not reseq's are ignored, so a token issued for other services as well works unchanged.
 */
final class JwtClaimsAuthentication implements Converter<Jwt, AbstractAuthenticationToken> {

    private final SecurityProperties.Jwt claims;

    JwtClaimsAuthentication(SecurityProperties.Jwt claims) {
        this.claims = claims;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String value : values(jwt.getClaim(claims.rolesClaim()))) {
            for (Role role : Role.values()) {
                if (role.name().equals(value.toUpperCase(Locale.ROOT))) {
                    roles.add(role);
                }
            }
        }
        List<String> channels = values(jwt.getClaim(claims.channelsClaim()));
        ChannelPatterns patterns;
        try {
            patterns = ChannelPatterns.of("claim " + claims.channelsClaim(), channels);
        } catch (IllegalArgumentException e) {
            // A token naming no valid channel may post to none, rather than to every channel.
            patterns = ChannelPatterns.none();
        }
        String name = jwt.getClaimAsString(claims.principalClaim());
        return new Scoped(jwt, roles.stream().map(Role::authority).collect(Collectors.toUnmodifiableSet()),
                name == null ? jwt.getSubject() : name, patterns);
    }

    /** A claim's values: an array of strings, or one string of space-separated values. */
    private static List<String> values(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof Collection<?> many) {
            many.forEach(value -> values.add(String.valueOf(value)));
        } else if (claim instanceof String one && !one.isBlank()) {
            values.addAll(List.of(one.strip().split("\\s+")));
        }
        return values;
    }

    /** An access token's authentication that also carries the channels it may post to. */
    static final class Scoped extends JwtAuthenticationToken implements ChannelScoped {

        private final transient ChannelPatterns channels;

        Scoped(Jwt jwt, Collection<org.springframework.security.core.GrantedAuthority> authorities, String name,
               ChannelPatterns channels) {
            super(jwt, authorities, name);
            this.channels = channels;
        }

        @Override
        public ChannelPatterns channels() {
            return channels;
        }
    }
}
