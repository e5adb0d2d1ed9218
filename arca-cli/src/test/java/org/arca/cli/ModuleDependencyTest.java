package org.arca.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Dependencies between Arca's modules point one way: cli, server, store, dicom. */
class ModuleDependencyTest {

    private static final JavaClasses ARCA = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.arca");

    @Test
    void dicomDependsOnNothingOfArca() {
        noClasses().that().resideInAPackage("org.arca.dicom..")
                .should().dependOnClassesThat().resideInAnyPackage("org.arca.store..", "org.arca.server..",
                        "org.arca.cli..")
                .check(ARCA);
    }

    @Test
    void storeDependsOnlyOnDicom() {
        noClasses().that().resideInAPackage("org.arca.store..")
                .should().dependOnClassesThat().resideInAnyPackage("org.arca.server..", "org.arca.cli..")
                .check(ARCA);
    }

    @Test
    void serverDoesNotDependOnCli() {
        noClasses().that().resideInAPackage("org.arca.server..")
                .should().dependOnClassesThat().resideInAPackage("org.arca.cli..")
                .check(ARCA);
    }
}
