package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator console that ingress serves at {@code /console/}, in a real browser: its npm
 * project ({@code ingress-service/src/main/console}) drives Debian's Chromium through
 * playwright-core against the suite with security on, signing in with API keys, and saves
 * screenshots to {@code target/console-screenshots}. Needs Node.js 20 and npm on the
 * {@code PATH}, and {@code /usr/bin/chromium}; without it the test fails rather than skips, so a
 * machine without a browser never passes for one that tested the console.
 */
class ConsoleBrowserIntegrationTests {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static NpmProject console;
    private static String ingress;
    private static Path screenshots;

    @BeforeAll
    static void findTheBrowserThenStartTheSuite() throws IOException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is missing: the console's browser tests need it; "
                    + "install Debian's chromium: apt-get install chromium");
        }
        Path home = Path.of(System.getProperty("reseq.home", "..")).toAbsolutePath().normalize();
        // The console itself is built into ingress by Maven; this installs its test dependencies.
        console = NpmProject.in(home.resolve("ingress-service/src/main/console"));
        console.installUnlessCurrent(Duration.ofMinutes(5));
        screenshots = home.resolve("deploy/target/console-screenshots");
        Files.createDirectories(screenshots);

        // Its keys are console-ops-key (which also sends the tests' messages) and the read-only
        // console-read-key: see SharedSecuredSuite.
        ingress = SharedSecuredSuite.ingress();
    }

    @Test
    void theConsoleWorksInARealBrowserAgainstTheSecuredSuite() {
        NpmProject.Outcome outcome = console.run(Duration.ofMinutes(5), Map.of(
                "CONSOLE_URL", ingress,
                "RESEQ_ADMIN_KEY", "console-ops-key",
                "RESEQ_READ_KEY", "console-read-key",
                "CHROMIUM", CHROMIUM.toString(),
                "SCREENSHOT_DIR", screenshots.toString()), "run", "test:browser");

        assertThat(outcome.exitCode()).as("npm run test:browser exit code; output:%n%s", outcome.output()).isZero();
        assertThat(screenshots.resolve("destinations-1280x800.png")).exists();
        assertThat(screenshots.resolve("destination-1280x800.png")).exists();
        assertThat(screenshots.resolve("destination-phone-390x844.png")).exists();
    }
}
