package org.reseq.model.security;

import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The one Spring Security filter chain of every service. With {@code reseq.security.enabled}
 * off (the local stack's default) it lets every request through. On, every request needs an
 * {@code Authorization: Bearer} credential, an API key or an access token, except health:
 *
 * <ul>
 *   <li>{@code /actuator/health/**} is open, for probes and load balancers;</li>
 *   <li>the rest of the actuator (metrics, Prometheus) needs {@link Role#READ};</li>
 *   <li>then the service's own {@link AccessRules} (ingress: ingest and admin API);</li>
 *   <li>anything else needs some valid credential (and is then usually a 404).</li>
 * </ul>
 *
 * <p>Requests are stateless: no session, no cookie, hence no CSRF token. Refusals are problem
 * JSON with {@code WWW-Authenticate} ({@link ProblemResponses}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(SecurityProperties.class)
public class SuiteSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SuiteSecurityConfiguration.class);

    @Bean
    SecurityFilterChain suiteSecurity(HttpSecurity http, SecurityProperties security, Environment environment,
                                      ObjectProvider<JwtDecoder> jwtDecoder, ObjectProvider<AccessRules> rules) {
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        if (!security.enabled()) {
            http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
            return http.build();
        }
        AuthenticationManager credentials = credentials(security, jwtDecoder.getIfAvailable());
        ProblemResponses problems = new ProblemResponses();
        String issuer = environment.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri");
        http.oauth2ResourceServer(bearer -> bearer.authenticationManagerResolver(request -> credentials)
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems)
                        // RFC 9728 metadata at /.well-known/oauth-protected-resource, which the 401's
                        // WWW-Authenticate points to: say what is true of reseq.
                        .protectedResourceMetadata(metadata -> metadata.protectedResourceMetadataCustomizer(claims -> {
                            claims.resourceName("reseq").tlsClientCertificateBoundAccessTokens(false);
                            if (issuer != null && !issuer.isBlank()) {
                                claims.authorizationServer(issuer);
                            }
                        })))
                .exceptionHandling(refusals -> refusals.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(requests -> {
                    // An error page or the completion of an async request was authorized as the request itself.
                    requests.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll();
                    requests.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll();
                    requests.requestMatchers("/actuator/**").hasRole(Role.READ.name());
                    rules.orderedStream().forEach(rule -> rule.addTo(requests));
                    requests.anyRequest().authenticated();
                });
        return http.build();
    }

    private static AuthenticationManager credentials(SecurityProperties security, JwtDecoder jwtDecoder) {
        List<AuthenticationProvider> providers = new ArrayList<>();
        providers.add(new ApiKeyAuthenticationProvider(security.apiKeys(), jwtDecoder != null));
        if (jwtDecoder != null) {
            JwtAuthenticationProvider tokens = new JwtAuthenticationProvider(jwtDecoder);
            tokens.setJwtAuthenticationConverter(new JwtClaimsAuthentication(security.jwt()));
            providers.add(tokens);
        }
        security.apiKeys().forEach((name, key) -> log.info("API key {}: roles {}{}", name, key.roles(),
                key.roles().contains(Role.INGEST) ? ", channels " + ChannelPatterns.of(name, key.channels()) : ""));
        if (jwtDecoder != null) {
            log.info("Access tokens accepted: roles from claim '{}', channels from '{}', name from '{}'",
                    security.jwt().rolesClaim(), security.jwt().channelsClaim(), security.jwt().principalClaim());
        }
        if (security.apiKeys().isEmpty() && jwtDecoder == null) {
            log.warn("Security is enabled but no API key (reseq.security.api-keys) and no access-token issuer"
                    + " (spring.security.oauth2.resourceserver.jwt) is configured: only health is reachable");
        }
        ProviderManager manager = new ProviderManager(providers);
        manager.setEraseCredentialsAfterAuthentication(false);
        return manager;
    }
}
