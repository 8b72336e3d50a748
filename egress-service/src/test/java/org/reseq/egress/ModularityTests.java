package org.reseq.egress;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryAttemptFailedException;
import org.reseq.egress.delivery.DeliveryChannel;
import org.reseq.egress.delivery.DeliveryStoppedException;
import org.reseq.egress.delivery.RetryGuard;

/** The structure of egress-service: its own packages only, a pure delivery contract, no cycles. */
class ModularityTests {

    private static final JavaClasses EGRESS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.reseq.egress");

    @Test
    void egressDependsOnNoOtherService() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.reseq.ingress..", "org.reseq.worker..", "org.reseq.resequencer..")
                .check(EGRESS);
    }

    @Test
    void theDeliveryContractAndTheResponseRuleImportNoFramework() {
        classes().that().belongToAnyOf(Delivery.class, DeliveryChannel.class, RetryGuard.class,
                        DeliveryAttemptFailedException.class, DeliveryStoppedException.class)
                .or().haveFullyQualifiedName("org.reseq.egress.delivery.http.ResponseClassifier")
                .or().haveFullyQualifiedName("org.reseq.egress.delivery.tcp.TcpFraming")
                .or().haveFullyQualifiedName("org.reseq.egress.leader.ReadAhead")
                .or().haveFullyQualifiedName("org.reseq.egress.leader.GapTimer")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "org.reseq.model.destination..", "org.reseq.model.redis..",
                        "org.reseq.egress.delivery..", "org.reseq.egress.leader..")
                .because("the core decisions must be testable without Spring, Redis or JDBC")
                .check(EGRESS);
    }

    @Test
    void deliveryKnowsNothingOfLeaders() {
        noClasses().that().resideInAPackage("org.reseq.egress.delivery..")
                .should().dependOnClassesThat().resideInAPackage("org.reseq.egress.leader..")
                .check(EGRESS);
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching("org.reseq.egress.(*)..").should().beFreeOfCycles().check(EGRESS);
    }
}
