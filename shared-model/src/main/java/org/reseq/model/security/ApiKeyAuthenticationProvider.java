package org.reseq.model.security;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Authenticates a bearer token that is one of the configured API keys. Keys are looked up by
 * their SHA-256 digest, so neither the configuration nor memory needs to hold a key.
 *
 * <p>A token that is no API key but has the shape of a JWT is left to the next provider when
 * access tokens are accepted; anything else is an invalid token.
 */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final Map<ByteBuffer, ApiKeyAuthentication> byDigest = new HashMap<>();
    private final boolean jwtAccepted;

    ApiKeyAuthenticationProvider(Map<String, SecurityProperties.ApiKey> keys, boolean jwtAccepted) {
        keys.forEach((name, key) -> byDigest.put(ByteBuffer.wrap(key.digest()),
                new ApiKeyAuthentication(name, key.roles(),
                        ChannelPatterns.of("reseq.security.api-keys." + name + ".channels", key.channels()))));
        this.jwtAccepted = jwtAccepted;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        ApiKeyAuthentication known = byDigest.get(ByteBuffer.wrap(ApiKeyDigest.of(token)));
        if (known != null) {
            return known;
        }
        if (jwtAccepted && looksLikeJwt(token)) {
            return null;
        }
        throw new InvalidBearerTokenException("The bearer token is not a known API key");
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }
}
