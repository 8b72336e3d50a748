package org.reseq.resequencer;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The resequencer's structure: no other service, a pure planner, line and watchdog, capabilities
 * that do not know the leader.
 */
@AnalyzeClasses(packages = "org.reseq.resequencer", importOptions = ImportOption.DoNotIncludeTests.class)
class ModularityTests {

    @ArchTest
    static final ArchRule noDependencyOnOtherServices = noClasses()
            .should().dependOnClassesThat()
            .resideInAnyPackage("org.reseq.ingress..", "org.reseq.worker..", "org.reseq.egress..");

    @ArchTest
    static final ArchRule theReleasePlannerImportsOnlyJava = classes()
            .that().haveSimpleNameStartingWith("ReleasePlan")
            .should().onlyDependOnClassesThat(resideInAnyPackage("java..")
                    .or(simpleNameStartingWith("ReleasePlan")));

    @ArchTest
    static final ArchRule theLineAndTheHeadWatchdogArePure = classes()
            .that().haveSimpleName("Line").or().haveSimpleName("HeadWatchdog")
            .should().onlyDependOnClassesThat(resideInAnyPackage("java..")
                    .or(simpleNameStartingWith("ReleasePlan"))
                    .or(simpleName("Line")).or(simpleName("HeadWatchdog")));

    @ArchTest
    static final ArchRule capabilitiesDoNotKnowTheLeader = noClasses()
            .that().resideInAnyPackage("..resequencer.dispatch..", "..resequencer.release..",
                    "..resequencer.failure..")
            .should().dependOnClassesThat().resideInAnyPackage("..resequencer.lead..", "..resequencer.signal..");

    @ArchTest
    static final ArchRule onlyTheSignalListenerTalksPubSub = noClasses()
            .that(not(resideInAnyPackage("..resequencer.signal..")))
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.data.redis.listener..");
}
