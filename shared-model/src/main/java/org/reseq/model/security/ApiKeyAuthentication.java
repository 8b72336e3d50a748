package org.reseq.model.security;

import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A request authenticated by one of the configured API keys. Its name is the key's name in the
 * configuration ({@code reseq.security.api-keys.<name>}); the key itself is not kept.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken implements ChannelScoped {

    private final String name;
    private final transient ChannelPatterns channels;

    ApiKeyAuthentication(String name, Set<Role> roles, ChannelPatterns channels) {
        super(roles.stream().map(Role::authority).collect(Collectors.toUnmodifiableSet()));
        this.name = name;
        this.channels = channels;
        setAuthenticated(true);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object getPrincipal() {
        return name;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public ChannelPatterns channels() {
        return channels;
    }
}
