package org.reseq.deploy;

import java.time.Duration;
import java.util.Map;

/**
 * One suite with security on, shared by the test classes that drive it from outside (the
 * secured suite's own checks, the Node.js client's and the console's browser tests): started
 * at first use, stopped when the test JVM exits. Each class has keys of its own and names its
 * channels and destinations apart, so they never see each other's work; one start instead of
 * three keeps the test run shorter.
 */
final class SharedSecuredSuite {

    /**
     * Every class's keys; loopback opened for the tests' receivers.
     * <ul>
     *   <li>{@code ops}, {@code sender}: {@link SecuredSuiteIntegrationTests} ({@code sec-*} channels)</li>
     *   <li>{@code node-ops}, {@code node-sender}: {@link NodeClientIntegrationTests} ({@code node-*})</li>
     *   <li>{@code console-ops}, {@code console-reader}: {@link ConsoleBrowserIntegrationTests}</li>
     * </ul>
     */
    static final String SECURITY_JSON = """
            {"reseq":{"security":{"enabled":true,
              "destinations":{"allow":["127.0.0.0/8"]},
              "api-keys":{"ops":{"key":"ops-key","roles":["ADMIN","READ"]},
                          "sender":{"key":"send-key","roles":["INGEST"],"channels":["sec-*"]},
                          "node-ops":{"key":"node-ops-key","roles":["ADMIN","READ"]},
                          "node-sender":{"key":"node-send-key","roles":["INGEST"],"channels":["node-*"]},
                          "console-ops":{"key":"console-ops-key","roles":["ADMIN","READ","INGEST"]},
                          "console-reader":{"key":"console-read-key","roles":["READ"]}}}}}""";

    private static Suite suite;

    private SharedSecuredSuite() {
    }

    /** The running suite, started now if this is the first use. */
    static synchronized Suite get() {
        if (suite == null) {
            SuiteSettings settings = SuiteClient.oneOfEach("secured", Map.of("SPRING_APPLICATION_JSON", SECURITY_JSON));
            Suite started = Suite.start(settings, Duration.ofMinutes(3));
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "secured-suite-stop"));
            suite = started;
        }
        return suite;
    }

    /** The first ingress instance's base URL. */
    static String ingress() {
        return get().instances(ServiceKind.INGRESS).getFirst().baseUrl();
    }
}
