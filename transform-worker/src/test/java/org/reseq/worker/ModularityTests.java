package org.reseq.worker;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ModularityTests {

    private static final JavaClasses WORKER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.reseq.worker");

    @Test
    void dependsOnNoOtherService() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.reseq.ingress..", "org.reseq.resequencer..", "org.reseq.egress..")
                .check(WORKER);
    }

    @Test
    void theTransformCoreUsesNoSpringRedisOrJdbc() {
        // Spring's core retry support is a plain library (no container), so the core may use it.
        noClasses().that().resideInAPackage("org.reseq.worker.transform..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework.boot..", "org.springframework.context..",
                        "org.springframework.beans..", "org.springframework.stereotype..",
                        "org.springframework.data..", "io.lettuce..", "java.sql..", "javax.sql..",
                        "org.springframework.jdbc..")
                .check(WORKER);
    }

    @Test
    void theTransformCoreDoesNotKnowHowWorkArrives() {
        noClasses().that().resideInAPackage("org.reseq.worker.transform..")
                .should().dependOnClassesThat().resideInAnyPackage("org.reseq.worker.consume..")
                .check(WORKER);
    }

    @Test
    void theFairSchedulerIsPlainJava() {
        classes().that().haveNameMatching(".*\\.consume\\.FairScheduler(\\$.*)?")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.reseq.worker.consume..")
                .check(WORKER);
    }

    @Test
    void consumingUsesNothingOfTheApplicationButItsSettings() {
        noClasses().that().resideInAPackage("org.reseq.worker.consume..")
                .should().dependOnClassesThat(resideInAPackage("org.reseq.worker")
                        .and(not(nameStartingWith(WorkerProperties.class.getName()))))
                .check(WORKER);
    }
}
