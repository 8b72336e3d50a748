package org.reseq.ingress.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester;
import org.reseq.ingress.support.HttpTester.Response;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Ingress with {@code reseq.security.enabled}: every status a caller can get from the security
 * layer, for API keys and for access tokens (JWTs signed by a key the test makes, checked by
 * Spring's resource server through {@code public-key-location}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.maximum-pool-size=2",
        "reseq.security.enabled=true",
        // The destinations of this test are never delivered to; they need only be saved.
        "reseq.security.destinations.allow=127.0.0.0/8",
        "reseq.security.api-keys.ops.key=ops-key",
        "reseq.security.api-keys.ops.roles=ADMIN,READ",
        "reseq.security.api-keys.reader.key=read-key",
        "reseq.security.api-keys.reader.roles=READ",
        "reseq.security.api-keys.sender.key=send-key",
        "reseq.security.api-keys.sender.roles=INGEST",
        "reseq.security.api-keys.sender.channels=a-*,exact",
        // SHA-256 of "hashed-key": the configuration holds no key.
        "reseq.security.api-keys.hashed.key-sha256=" + AccessIntegrationTests.HASHED_KEY_SHA256,
        "reseq.security.api-keys.hashed.roles=INGEST"})
@DirtiesContext
class AccessIntegrationTests {

    static final String HASHED_KEY_SHA256 = "a4ae87b73fa5645e6aee415a6f72be4dcbd99d057a7b40cb1b867c181d179260";

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("access");
    private static final KeyPair ISSUER = rsaKeyPair();
    private static final KeyPair STRANGER = rsaKeyPair();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location",
                () -> "file:" + publicKeyFile(ISSUER));
    }

    @LocalServerPort
    int port;

    private HttpTester anonymous;
    private HttpTester ops;

    @BeforeEach
    void clients() {
        anonymous = new HttpTester(port);
        ops = anonymous.bearer("ops-key");
    }

    @BeforeAll
    static void keyDigestIsTheOneConfigured() throws NoSuchAlgorithmException {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest("hashed-key".getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(digest)).isEqualTo(HASHED_KEY_SHA256);
    }

    @Test
    void withoutCredentialsEverythingButHealthIs401WithAChallenge() {
        Response admin = anonymous.get("/admin/v1/destinations");
        Response ingest = anonymous.postMessage("a-1", "text/plain", bytes("m"), Map.of());
        Response metrics = anonymous.get("/actuator/prometheus");

        for (Response refused : new Response[] {admin, ingest, metrics}) {
            refused.assertProblem(401, "unauthorized");
            assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
        }
        assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);

        // The challenge points at the resource's metadata (RFC 9728), which is open.
        assertThat(admin.header("WWW-Authenticate")).contains("/.well-known/oauth-protected-resource");
        JsonNode metadata = anonymous.get("/.well-known/oauth-protected-resource").json();
        assertThat(metadata.path("resource_name").asString()).isEqualTo("reseq");
        assertThat(metadata.path("bearer_methods_supported").get(0).asString()).isEqualTo("header");
        assertThat(metadata.path("tls_client_certificate_bound_access_tokens").asBoolean(true)).isFalse();
    }

    @Test
    void theConsoleIsServedWithoutACredentialWhileItsApiCallsNeedOne() {
        Response page = anonymous.get("/console/");
        Response bare = anonymous.get("/console");

        assertThat(page.status()).as(page.text()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.text()).contains("<title>reseq console</title>").doesNotContain("ops-key");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(bare.status()).isBetween(301, 308);
        assertThat(bare.header("Location")).endsWith("/console/");
        // The page's script, by the hashed name the build gave it, is open too.
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("src=\"(/console/assets/[^\"]+\\.js)\"")
                .matcher(page.text());
        assertThat(script.find()).as("a module script in %s", page.text()).isTrue();
        Response asset = anonymous.get(script.group(1));
        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.header("Cache-Control")).contains("immutable");
        // What the console shows still needs a credential.
        anonymous.get("/admin/v1/destinations").assertProblem(401, "unauthorized");
        anonymous.send("POST", "/console/", null, Map.of()).assertProblem(401, "unauthorized");
    }

    @Test
    void anUnknownKeyOrABadTokenIs401AndNamesTheError() {
        Response unknown = anonymous.bearer("no-such-key").get("/admin/v1/destinations");
        Response forged = anonymous.bearer(token(STRANGER, "mallory", "ADMIN READ", null, 300))
                .get("/admin/v1/destinations");
        Response expired = anonymous.bearer(token(ISSUER, "alice", "ADMIN READ", null, -300))
                .get("/admin/v1/destinations");

        for (Response refused : new Response[] {unknown, forged, expired}) {
            refused.assertProblem(401, "unauthorized");
            assertThat(refused.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
            assertThat(refused.text()).doesNotContain("no-such-key");
        }
    }

    @Test
    void eachRoleReachesOnlyItsOwnEndpoints() {
        HttpTester reader = anonymous.bearer("read-key");
        HttpTester sender = anonymous.bearer("send-key");

        assertThat(ops.putJson("/admin/v1/destinations/roles-out", destination("roles-out")).status())
                .isEqualTo(201);
        assertThat(reader.get("/admin/v1/destinations/roles-out").status()).isEqualTo(200);
        assertThat(reader.get("/actuator/prometheus").status()).isEqualTo(200);

        JsonNode readerWrites = reader.putJson("/admin/v1/destinations/roles-out", destination("roles-out"))
                .assertProblem(403, "forbidden");
        assertThat(readerWrites.path("detail").asString()).isEqualTo("This needs the role ADMIN");
        reader.post("/admin/v1/destinations/roles-out/pause").assertProblem(403, "forbidden");
        assertThat(reader.postMessage("a-1", "text/plain", bytes("m"), Map.of()).status()).isEqualTo(403);

        JsonNode senderReads = sender.get("/admin/v1/destinations").assertProblem(403, "forbidden");
        assertThat(senderReads.path("detail").asString()).isEqualTo("This needs the role READ");
        sender.get("/actuator/prometheus").assertProblem(403, "forbidden");
        assertThat(sender.get("/actuator/health/readiness").status()).isEqualTo(200);

        JsonNode opsPosts = ops.postMessage("a-1", "text/plain", bytes("m"), Map.of())
                .assertProblem(403, "forbidden");
        assertThat(opsPosts.path("detail").asString()).isEqualTo("Posting messages needs the role INGEST");
    }

    @Test
    void anIngestKeyPostsOnlyToItsChannels() {
        channel("a-orders");
        channel("exact");
        channel("b");
        HttpTester sender = anonymous.bearer("send-key");

        assertThat(sender.postMessage("a-orders", "text/plain", bytes("m1"), Map.of()).status()).isEqualTo(202);
        assertThat(sender.postMessage("exact", "text/plain", bytes("m2"), Map.of()).status()).isEqualTo(202);
        JsonNode other = sender.postMessage("b", "text/plain", bytes("m3"), Map.of())
                .assertProblem(403, "forbidden");
        assertThat(other.path("detail").asString())
                .isEqualTo("This credential may not post to channel b (it may post to a-*, exact)");
        Response batch = sender.send("POST", "/api/v1/channels/b/messages/batch",
                bytes("[{\"body\":1}]"), Map.of("Content-Type", "application/json"));
        batch.assertProblem(403, "forbidden");
        // A prefix is a prefix of the whole name, not of a part of it.
        assertThat(sender.postMessage("exact-not", "text/plain", bytes("m4"), Map.of()).status()).isEqualTo(403);

        assertThat(anonymous.bearer("hashed-key").postMessage("b", "text/plain", bytes("m5"), Map.of()).status())
                .isEqualTo(202);
    }

    @Test
    void accessTokensCarryRolesChannelsAndTheirSubject() {
        channel("a-tokens");
        channel("c-tokens");
        HttpTester service = anonymous.bearer(token(ISSUER, "svc-billing", null, new String[] {"INGEST"}, 300));
        String channelsToken = tokenWithChannels(ISSUER, "svc-billing", new String[] {"INGEST"}, "a-*");
        HttpTester scoped = anonymous.bearer(channelsToken);
        HttpTester admin = anonymous.bearer(token(ISSUER, "alice", "admin read other-role", null, 300));

        assertThat(service.postMessage("c-tokens", "text/plain", bytes("t1"), Map.of()).status()).isEqualTo(202);
        assertThat(scoped.postMessage("a-tokens", "text/plain", bytes("t2"), Map.of()).status()).isEqualTo(202);
        scoped.postMessage("c-tokens", "text/plain", bytes("t3"), Map.of()).assertProblem(403, "forbidden");
        service.get("/admin/v1/destinations").assertProblem(403, "forbidden");

        assertThat(admin.putJson("/admin/v1/destinations/token-out", destination("token-out")).status())
                .isEqualTo(201);
        assertThat(admin.send("POST", "/admin/v1/destinations/token-out/pause", null,
                Map.of("X-Reseq-Actor", "mallory")).status()).isEqualTo(204);
        JsonNode actions = admin.get("/admin/v1/destinations/token-out/actions").json();
        assertThat(actions.get(0).path("actor").asString()).isEqualTo("alice");
    }

    @Test
    void theAuditLogRecordsTheKeyNotTheActorHeader() {
        assertThat(ops.putJson("/admin/v1/destinations/audited", destination("audited")).status()).isEqualTo(201);

        Response paused = ops.send("POST", "/admin/v1/destinations/audited/pause", null,
                Map.of("X-Reseq-Actor", "someone-else"));

        assertThat(paused.status()).as(paused.text()).isEqualTo(204);
        JsonNode actions = ops.get("/admin/v1/destinations/audited/actions").json();
        assertThat(actions.get(0).path("action").asString()).isEqualTo("PAUSE");
        assertThat(actions.get(0).path("actor").asString()).isEqualTo("ops");
    }

    private void channel(String name) {
        assertThat(ops.putJson("/admin/v1/destinations/" + name + "-out", destination(name + "-out")).status())
                .isIn(200, 201);
        Response routed = ops.putJson("/admin/v1/channels/" + name, "{\"destinations\":[\"" + name + "-out\"]}");
        assertThat(routed.status()).as(routed.text()).isIn(200, 201);
    }

    private static String destination(String name) {
        return "{\"type\":\"HTTP\",\"url\":\"http://127.0.0.1:9/" + name + "\"}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A signed token with roles as a space-separated string or as an array. */
    private static String token(KeyPair signer, String subject, String rolesString, String[] rolesArray,
                                long expiresInSeconds) {
        JWTClaimsSet.Builder claims = claims(subject, expiresInSeconds);
        claims.claim("roles", rolesString != null ? rolesString : java.util.List.of(rolesArray));
        return sign(signer, claims.build());
    }

    private static String tokenWithChannels(KeyPair signer, String subject, String[] roles, String channel) {
        JWTClaimsSet.Builder claims = claims(subject, 300);
        claims.claim("roles", java.util.List.of(roles)).claim("channels", java.util.List.of(channel));
        return sign(signer, claims.build());
    }

    private static JWTClaimsSet.Builder claims(String subject, long expiresInSeconds) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(subject).issueTime(Date.from(now.minusSeconds(600)))
                .expirationTime(Date.from(now.plusSeconds(expiresInSeconds)));
    }

    private static String sign(KeyPair signer, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            jwt.sign(new RSASSASigner((RSAPrivateKey) signer.getPrivate()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path publicKeyFile(KeyPair pair) {
        try {
            Path file = Files.createTempFile("reseq-issuer", ".pem");
            file.toFile().deleteOnExit();
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(pair.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            Files.writeString(file, pem);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
