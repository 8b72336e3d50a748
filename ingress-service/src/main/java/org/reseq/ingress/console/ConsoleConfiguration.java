package org.reseq.ingress.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The operator console at {@code /console/}: static files the build puts into
 * {@code classpath:/static/console/} (see {@code src/main/console}). The page holds no data and
 * no secret; it calls the admin API with the operator's own credential, so it is served to
 * anyone (see {@code IngressAccessRules}).
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebMvcConfigurer {

    static final String INDEX = "/console/index.html";

    /**
     * Only the page's own origin: no inline script, no other host, never inside a frame. The
     * empty favicon is a {@code data:} image.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        // Relative asset URLs need the trailing slash, so /console is sent there first.
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/console/").setViewName("forward:" + INDEX);
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // Vite puts a content hash into every asset's name: a changed file is a new URL.
        registry.addResourceHandler("/console/assets/**")
                .addResourceLocations("classpath:/static/console/assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ConsoleHeaders()).addPathPatterns("/console", "/console/**");
    }

    /** The policy on every console response, and index.html revalidated so a new build is seen. */
    static final class ConsoleHeaders implements HandlerInterceptor {

        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
            response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.setHeader("Referrer-Policy", "no-referrer");
            if (!request.getRequestURI().startsWith("/console/assets/")) {
                response.setHeader("Cache-Control", CacheControl.noCache().getHeaderValue());
            }
            return true;
        }
    }
}
