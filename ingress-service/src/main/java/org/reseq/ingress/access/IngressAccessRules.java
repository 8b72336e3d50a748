package org.reseq.ingress.access;

import java.util.function.Supplier;
import org.reseq.model.security.AccessRules;
import org.reseq.model.security.ChannelScoped;
import org.reseq.model.security.DeniedBecause;
import org.reseq.model.security.Role;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;

/**
 * Who may use ingress's API when security is on: {@link Role#INGEST} posts messages, to the
 * channels its credential names; {@link Role#READ} reads the admin API; {@link Role#ADMIN}
 * changes it and runs operator actions. The OpenAPI description ({@code /v3/api-docs}), its
 * Swagger UI and the operator console's files ({@code /console/}) are open to all.
 */
@Component
class IngressAccessRules implements AccessRules {

    private static final String CHANNEL = "channel";

    @Override
    public void addTo(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        // The batch path is the contract's (API.md); it is held to the same rule before it exists.
        requests.requestMatchers(HttpMethod.POST, "/api/v1/channels/{channel}/messages",
                "/api/v1/channels/{channel}/messages/batch").access(new ChannelIngest());
        // The API's description and its viewer say what the endpoints are, never what is stored;
        // a client needs them before it has a credential.
        requests.requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**",
                "/swagger-ui.html", "/swagger-ui/**").permitAll();
        // The operator console's static files hold no data and no secret: the page asks for the
        // operator's credential and sends it with every admin call, which the rules below judge.
        requests.requestMatchers(HttpMethod.GET, "/console", "/console/**").permitAll();
        requests.requestMatchers(HttpMethod.GET, "/admin/**").hasRole(Role.READ.name());
        requests.requestMatchers("/admin/**").hasRole(Role.ADMIN.name());
    }

    /** {@link Role#INGEST}, and the channel in the path among the credential's channels. */
    static final class ChannelIngest implements AuthorizationManager<RequestAuthorizationContext> {

        @Override
        public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                                             RequestAuthorizationContext context) {
            Authentication caller = authentication.get();
            if (caller == null || !caller.isAuthenticated() || !(caller instanceof ChannelScoped scoped)) {
                // Anonymous: refused, and the refusal becomes a 401 that asks for a credential.
                return new AuthorizationDecision(false);
            }
            if (caller.getAuthorities().stream()
                    .noneMatch(granted -> Role.INGEST.authority().getAuthority().equals(granted.getAuthority()))) {
                return new DeniedBecause("Posting messages needs the role INGEST");
            }
            String channel = context.getVariables().get(CHANNEL);
            if (channel == null || !scoped.channels().allows(channel)) {
                return new DeniedBecause("This credential may not post to channel " + channel
                        + " (it may post to " + scoped.channels() + ")");
            }
            return new AuthorizationDecision(true);
        }
    }
}
