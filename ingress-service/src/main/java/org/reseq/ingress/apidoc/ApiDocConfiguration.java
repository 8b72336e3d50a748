package org.reseq.ingress.apidoc;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The base of ingress's OpenAPI description ({@code /v3/api-docs}, shown by the Swagger UI at
 * {@code /swagger-ui.html}): what the API is and how a caller authenticates. Springdoc reads the
 * operations from the controllers; the customizers of this package add what the controllers
 * cannot say by their signatures (bodies read as bytes, every status, problem types, roles), so
 * the controllers stay free of documentation annotations.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocConfiguration {

    /** The name the operations' security requirements refer to. */
    static final String BEARER = "bearer";

    @Bean
    OpenAPI reseqApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI()
                .info(new Info()
                        .title("reseq ingress API")
                        .version(properties == null ? "v1" : properties.getVersion())
                        .description("""
                                Ingest messages into channels, and administer destinations, channels and the \
                                operator controls of a message resequencer. Every error is \
                                `application/problem+json` (RFC 9457). The full reference, with every \
                                guarantee, is docs/API.md."""))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("""
                                API key or JWT access token, sent as `Authorization: Bearer <credential>`. \
                                Needed only while `reseq.security.enabled` is true; each operation names the \
                                role it needs (INGEST, READ or ADMIN).""")));
    }

    /**
     * What the controllers cannot say by their signatures, one part of the API after the other;
     * the roles last, since they add to the answers the others write.
     */
    @Bean
    OpenApiCustomizer reseqApiDocumentation() {
        List<OpenApiCustomizer> parts = List.of(new IngestDocumentation(), new DestinationDocumentation(),
                new ChannelDocumentation(), new OperatorDocumentation(), new StoreAnswerDocumentation(),
                new AccessDocumentation());
        return api -> {
            // Here rather than in the base: springdoc keeps only the base's security schemes.
            ProblemDocs.addSchemas(api.getComponents());
            parts.forEach(part -> part.customise(api));
        };
    }
}
