package org.reseq.model.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * A service's own authorization rules, added by {@link SuiteSecurityConfiguration} after the
 * rules every service shares (health open, the rest of the actuator {@link Role#READ}) and
 * before the last one (anything else needs a credential). A service without its own API
 * declares none.
 */
@FunctionalInterface
public interface AccessRules {

    void addTo(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests);
}
