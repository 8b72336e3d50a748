package org.reseq.ingress;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "org.reseq.ingress", importOptions = ImportOption.DoNotIncludeTests.class)
class ModularityTests {

    private static final String[] FRAMEWORKS = {
            "org.springframework..", "io.lettuce..", "java.sql..", "javax.sql..", "jakarta.servlet..", "org.postgresql.."};

    @ArchTest
    static final ArchRule noDependencyOnOtherServices = noClasses()
            .should().dependOnClassesThat()
            .resideInAnyPackage("org.reseq.worker..", "org.reseq.resequencer..", "org.reseq.egress..");

    /** Group commit and id generation are plain Java; only the Jdbc and Redis adapters touch a framework. */
    @ArchTest
    static final ArchRule theCoreImportsNoFramework = noClasses()
            .that(resideInAPackage("org.reseq.ingress.commit..")
                    .and(not(nameMatching(".*\\.(Jdbc|Redis)[^.]*"))))
            .or().haveFullyQualifiedName("org.reseq.ingress.ingest.MessageIds")
            .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS);

    @ArchTest
    static final ArchRule capabilitiesAreFreeOfCycles = slices().matching("org.reseq.ingress.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theCommitPipelineKnowsNoWebLayer = noClasses()
            .that().resideInAPackage("org.reseq.ingress.commit..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.reseq.ingress.web..", "org.reseq.ingress.ingest..", "org.reseq.ingress.admin..");

    @ArchTest
    static final ArchRule adminAndIngestAreIndependent = noClasses()
            .that().resideInAPackage("org.reseq.ingress.admin..")
            .should().dependOnClassesThat().resideInAnyPackage("org.reseq.ingress.ingest..", "org.reseq.ingress.commit..");
}
