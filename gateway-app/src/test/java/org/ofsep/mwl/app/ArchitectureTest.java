package org.ofsep.mwl.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import rules of docs/architecture.md, on the production classes of every module (test classes are not
 * checked). Each rule also fails when it selects no class, so a renamed package cannot make it pass vacuously.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.ofsep.mwl");
        assertThat(classes.containPackage("org.ofsep.mwl.store")).as("gateway-store on the class path").isTrue();
    }

    /** gateway-core: pure Java, no JDBC, no other gateway module, no HL7 or Camel library. */
    static final ArchRule CORE_IS_PURE = noClasses().that().resideInAPackage("org.ofsep.mwl.core..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..",
                    "org.ofsep.mwl.store..", "org.ofsep.mwl.hl7..", "org.ofsep.mwl.dicom..", "org.ofsep.mwl.app..",
                    "org.ofsep.mwl.tls..", "org.apache.camel..", "ca.uhn..", "org.flywaydb..", "org.h2..",
                    "org.postgresql..", "com.zaxxer..")
            .because("gateway-core holds the domain, the decision and order planning; the store, the HL7 edge and "
                    + "DICOM depend on it, never the other way (docs/architecture.md)");

    /** The DICOM protocol layers. */
    static final String[] DICOM_PROTOCOL_LAYERS = {"org.ofsep.mwl.dicom.data..", "org.ofsep.mwl.dicom.pdu..",
            "org.ofsep.mwl.dicom.dul..", "org.ofsep.mwl.dicom.dimse..", "org.ofsep.mwl.dicom.acse..",
            "org.ofsep.mwl.dicom.net.."};

    /**
     * The DICOM protocol layers know nothing of the gateway's domain nor of the services built on them: they use
     * the JDK, SLF4J, the PEM loader and each other only (not core, not {@code dicom.service}, {@code mwl},
     * {@code mpps}, {@code scu}, {@code file} nor {@code DicomServer}).
     */
    static final ArchRule DICOM_PROTOCOL_LAYERS_IMPORT_NO_CORE = classes().that().resideInAnyPackage(DICOM_PROTOCOL_LAYERS)
            .should().onlyDependOnClassesThat().resideInAnyPackage(concat(DICOM_PROTOCOL_LAYERS,
                    "java..", "javax..", "org.slf4j..", "org.ofsep.mwl.tls.."))
            .because("data, pdu, dul, dimse, acse and net take what they need through small interfaces they define "
                    + "(acse.CallingPeers, net.DimseService, net.ServiceContext) that the services implement and "
                    + "DicomServer wires");

    static final ArchRule HL7_IMPORTS_NO_DICOM_NOR_STORE = noClasses().that().resideInAPackage("org.ofsep.mwl.hl7..")
            .should().dependOnClassesThat().resideInAnyPackage("org.ofsep.mwl.dicom..", "org.ofsep.mwl.store..",
                    "org.ofsep.mwl.app..", "java.sql..")
            .because("the HL7 edge reaches the store only through core's ports");

    static final ArchRule DICOM_IMPORTS_NO_HL7_NOR_STORE = noClasses().that().resideInAPackage("org.ofsep.mwl.dicom..")
            .should().dependOnClassesThat().resideInAnyPackage("org.ofsep.mwl.hl7..", "org.ofsep.mwl.store..",
                    "org.ofsep.mwl.app..", "java.sql..")
            .because("the DICOM services reach the store only through core's ports");

    static final ArchRule STORE_IMPORTS_NO_HL7_NOR_DICOM = noClasses().that().resideInAPackage("org.ofsep.mwl.store..")
            .should().dependOnClassesThat().resideInAnyPackage("org.ofsep.mwl.hl7..", "org.ofsep.mwl.dicom..",
                    "org.ofsep.mwl.app..")
            .because("gateway-store implements core's ports and knows no protocol");

    static final ArchRule TLS_IMPORTS_NO_GATEWAY_MODULE = noClasses().that().resideInAPackage("org.ofsep.mwl.tls..")
            .should().dependOnClassesThat().resideInAnyPackage("org.ofsep.mwl.core..", "org.ofsep.mwl.store..",
                    "org.ofsep.mwl.hl7..", "org.ofsep.mwl.dicom..", "org.ofsep.mwl.app..")
            .because("gateway-tls is the pure-JDK PEM loader both listeners share");

    /** The modules whose packages must not form a cycle: all of them, gateway-app's wiring included. */
    static final List<String> ACYCLIC_MODULES = List.of("core", "store", "hl7", "dicom", "tls", "app");

    /**
     * No package cycle inside a module: each package of a module (its root package included, and a sub-package
     * such as {@code decision.policy} as a package of its own) is a slice, and no slice may reach itself. Cycles
     * between modules are impossible (Maven refuses them).
     */
    static final ArchRule PACKAGES_FREE_OF_CYCLES = slices().assignedFrom(new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            for (String module : ACYCLIC_MODULES) {
                String base = "org.ofsep.mwl." + module;
                if (c.getPackageName().equals(base) || c.getPackageName().startsWith(base + ".")) {
                    return SliceIdentifier.of(c.getPackageName());
                }
            }
            return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the packages of gateway-" + String.join(", gateway-", ACYCLIC_MODULES);
        }
    }).should().beFreeOfCycles()
            .because("a package cycle hides which way a dependency points: mapping is read by the decision, so it"
                    + " must not need the decision's policies back (docs/architecture.md, package layers)");

    @Test
    void coreIsPure() {
        CORE_IS_PURE.check(classes);
    }

    @Test
    void dicomProtocolLayersImportNoCore() {
        DICOM_PROTOCOL_LAYERS_IMPORT_NO_CORE.check(classes);
    }

    @Test
    void hl7ImportsNoDicomNorStore() {
        HL7_IMPORTS_NO_DICOM_NOR_STORE.check(classes);
    }

    @Test
    void dicomImportsNoHl7NorStore() {
        DICOM_IMPORTS_NO_HL7_NOR_STORE.check(classes);
    }

    @Test
    void storeImportsNoHl7NorDicom() {
        STORE_IMPORTS_NO_HL7_NOR_DICOM.check(classes);
    }

    @Test
    void tlsImportsNoGatewayModule() {
        TLS_IMPORTS_NO_GATEWAY_MODULE.check(classes);
    }

    @Test
    void packagesOfEachModuleAreFreeOfCycles() {
        PACKAGES_FREE_OF_CYCLES.check(classes);
    }

    /** The cycle rule catches a cycle: mapping and decision.policy needing each other (as they once did). */
    @Test
    void theCycleRuleReportsACycle() {
        JavaClasses cycle = new ClassFileImporter().importClasses(org.ofsep.mwl.core.mapping.ArchCycleSample.class,
                org.ofsep.mwl.core.decision.policy.ArchCycleSample.class);
        EvaluationResult r = PACKAGES_FREE_OF_CYCLES.evaluate(cycle);
        assertThat(r.hasViolation()).isTrue();
        assertThat(r.getFailureReport().getDetails())
                .anyMatch(d -> d.contains("org.ofsep.mwl.core.mapping") && d.contains("org.ofsep.mwl.core.decision.policy"));
        JavaClasses oneWay = new ClassFileImporter().importClasses(org.ofsep.mwl.core.mapping.ArchCycleSample.class);
        assertThat(PACKAGES_FREE_OF_CYCLES.evaluate(oneWay).hasViolation()).isFalse();
    }

    /**
     * The cycle rule covers gateway-app: its root package (the wiring, GatewayConfig) and {@code app.priors}
     * needing each other (as they did until PriorSources moved to the root) is reported.
     */
    @Test
    void theCycleRuleReportsACycleInGatewayApp() {
        JavaClasses cycle = new ClassFileImporter().importClasses(org.ofsep.mwl.app.ArchCycleSample.class,
                org.ofsep.mwl.app.priors.ArchCycleSample.class);
        EvaluationResult r = PACKAGES_FREE_OF_CYCLES.evaluate(cycle);
        assertThat(r.hasViolation()).isTrue();
        assertThat(r.getFailureReport().getDetails())
                .anyMatch(d -> d.contains("org.ofsep.mwl.app.priors") && d.contains("org.ofsep.mwl.app.ArchCycleSample"));
        JavaClasses oneWay = new ClassFileImporter().importClasses(org.ofsep.mwl.app.priors.ArchCycleSample.class);
        assertThat(PACKAGES_FREE_OF_CYCLES.evaluate(oneWay).hasViolation()).isFalse();
    }

    /**
     * The rules do catch a violation: a core class that uses JDBC, a protocol class that uses core and one that
     * uses a service.
     */
    @Test
    void theRulesReportAViolation() {
        JavaClasses bad = new ClassFileImporter().importClasses(
                org.ofsep.mwl.core.ArchViolationSample.class, org.ofsep.mwl.dicom.net.ArchViolationSample.class,
                org.ofsep.mwl.dicom.dul.ArchViolationSample.class);
        EvaluationResult core = CORE_IS_PURE.evaluate(bad);
        assertThat(core.hasViolation()).isTrue();
        assertThat(core.getFailureReport().getDetails()).anyMatch(d -> d.contains("java.sql.Connection"));
        EvaluationResult net = DICOM_PROTOCOL_LAYERS_IMPORT_NO_CORE.evaluate(bad);
        assertThat(net.hasViolation()).isTrue();
        assertThat(net.getFailureReport().getDetails()).anyMatch(d -> d.contains("org.ofsep.mwl.core.domain.Station"));
        assertThat(net.getFailureReport().getDetails())
                .anyMatch(d -> d.contains("org.ofsep.mwl.dicom.service.VerificationScp"));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
