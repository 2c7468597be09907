package org.labcontroller.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The walls of docs/architecture.md as tests that fail the build when crossed: features see the
 * runtime port, never an adapter; adapters never see each other; fabric8 and process launching
 * stay inside their adapters; authorization is decided in {@code Policy} alone; no package cycles.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.labcontroller");

    @Test
    void featuresHaveNoPackageCycles() {
        slices().matching("org.labcontroller.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void featuresNeverSeeARuntimeAdapter() {
        noClasses().that().resideOutsideOfPackages("org.labcontroller.runtime..", "org.labcontroller.app..")
                .should().dependOnClassesThat().resideInAnyPackage("org.labcontroller.runtime.qemu..", "org.labcontroller.runtime.kubevirt..")
                .check(MAIN);
    }

    @Test
    void theRuntimePortSeesNoAdapterAndNoFeature() {
        noClasses().that().resideInAPackage("org.labcontroller.runtime")
                .should().dependOnClassesThat().resideInAnyPackage("org.labcontroller.runtime.qemu..",
                        "org.labcontroller.runtime.kubevirt..", "org.labcontroller.lab..", "org.labcontroller.template..",
                        "org.labcontroller.account..", "org.labcontroller.access..")
                .check(MAIN);
    }

    @Test
    void adaptersNeverSeeEachOther() {
        noClasses().that().resideInAPackage("org.labcontroller.runtime.qemu..")
                .should().dependOnClassesThat().resideInAPackage("org.labcontroller.runtime.kubevirt..").check(MAIN);
        noClasses().that().resideInAPackage("org.labcontroller.runtime.kubevirt..")
                .should().dependOnClassesThat().resideInAPackage("org.labcontroller.runtime.qemu..").check(MAIN);
    }

    @Test
    void fabric8StaysInTheKubevirtAdapter() {
        noClasses().that().resideOutsideOfPackage("org.labcontroller.runtime.kubevirt..")
                .should().dependOnClassesThat().resideInAPackage("io.fabric8..").check(MAIN);
    }

    @Test
    void vertxInternalsStayBehindTheirAdapter() {
        noClasses().that().doNotHaveFullyQualifiedName("org.labcontroller.access.VertxInternals")
                .should().dependOnClassesThat().resideInAPackage("io.vertx..impl..")
                .check(MAIN);
    }

    @Test
    void onlyTheQemuAdapterStartsProcesses() {
        noClasses().that().resideOutsideOfPackage("org.labcontroller.runtime.qemu..")
                .should().dependOnClassesThat().haveFullyQualifiedName(ProcessBuilder.class.getName()).check(MAIN);
    }

    @Test
    void onlyPolicyDecidesWhatARoleMay() {
        noClasses().that().doNotHaveFullyQualifiedName("org.labcontroller.account.Policy")
                .and().doNotHaveFullyQualifiedName("org.labcontroller.account.Caller")
                .should().callMethod("org.labcontroller.account.Caller", "isAdmin")
                .orShould().callMethod("org.labcontroller.account.Caller", "role")
                .check(MAIN);
    }
}
