package org.reseq.model.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a request refused by Spring Security as every other error of reseq's API: RFC 9457
 * {@code application/problem+json}. Spring's bearer-token handlers set the status and the
 * {@code WWW-Authenticate} header (RFC 6750); this adds the body. Nothing of the presented
 * credential is echoed.
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final String TYPES = "https://reseq.dev/problems/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BearerTokenAuthenticationEntryPoint unauthenticated = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler denied = new BearerTokenAccessDeniedHandler();

    ProblemResponses() {
        unauthenticated.setRealmName("reseq");
        denied.setRealmName("reseq");
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        unauthenticated.commence(request, response, e);
        boolean presented = request.getHeader("Authorization") != null;
        write(request, response, "unauthorized", "Unauthorized", presented
                ? "The bearer token is neither a known API key nor a valid access token"
                : "This endpoint needs Authorization: Bearer <API key or access token>");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        denied.handle(request, response, e);
        write(request, response, "forbidden", "Forbidden", reason(e));
    }

    private static String reason(AccessDeniedException e) {
        if (e instanceof AuthorizationDeniedException refused) {
            if (refused.getAuthorizationResult() instanceof DeniedBecause because) {
                return because.reason();
            }
            if (refused.getAuthorizationResult() instanceof AuthorityAuthorizationDecision roles) {
                return "This needs the role " + roles.getAuthorities().stream()
                        .map(authority -> authority.getAuthority().replaceFirst("^ROLE_", ""))
                        .collect(Collectors.joining(" or "));
            }
        }
        return "This credential may not do this";
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, String type, String title,
                              String detail) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", TYPES + type);
        problem.put("title", title);
        problem.put("status", response.getStatus());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), problem);
    }
}
