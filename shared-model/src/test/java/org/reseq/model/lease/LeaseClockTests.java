package org.reseq.model.lease;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/**
 * Two instances whose wall clocks disagree must still never act at once: whether a lease holds
 * may depend only on this JVM's monotonic clock (the term) and on PostgreSQL's (heartbeats and
 * the take-over), never on a wall clock of this machine, which another machine's need not match.
 */
class LeaseClockTests {

    private static final JavaClasses LEASES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.reseq.model.lease");

    @Test
    void leasesNeverReadAWallClock() {
        noClasses().should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(Instant.class, "now")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callMethod(OffsetDateTime.class, "now")
                .orShould().callMethod(ZonedDateTime.class, "now")
                .orShould().dependOnClassesThat().areAssignableTo(Clock.class)
                .because("a lease's validity is judged by the monotonic clock and PostgreSQL's clock only")
                .check(LEASES);
    }
}
