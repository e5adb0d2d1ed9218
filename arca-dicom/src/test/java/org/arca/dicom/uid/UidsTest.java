package org.arca.dicom.uid;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UidsTest {

    @ParameterizedTest
    @CsvSource({"1.2.840.10008.1.1", "0", "1.0.2", "2.25.23569501657687153287404915942487971646"})
    void validUids(String uid) {
        assertThat(Uids.isValid(uid)).isTrue();
        assertThat(Uids.validationError(uid)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.2..3|empty component",
        ".1.2|empty component",
        "1.2.|empty component",
        "1.02.3|leading zero",
        "1.2.a|invalid character 'a'",
        "'1.2.3 '|invalid character ' '",
        "1.2345678901234567890123456789012345678901234567890123456789012345|more than the maximum of 64",
    })
    void invalidUids(String uid, String problem) {
        assertThat(Uids.isValid(uid)).isFalse();
        assertThat(Uids.validationError(uid)).contains(problem);
    }

    @Test
    void emptyUid() {
        assertThat(Uids.validationError("")).contains("empty");
        assertThat(Uids.isValid(null)).isFalse();
    }

    @Test
    void transferSyntaxes() {
        TransferSyntax implicit = TransferSyntax.of(UID.ImplicitVRLittleEndian);
        TransferSyntax bigEndian = TransferSyntax.of(UID.ExplicitVRBigEndian);
        TransferSyntax deflated = TransferSyntax.of(UID.DeflatedExplicitVRLittleEndian);
        TransferSyntax jpeg = TransferSyntax.of(UID.JPEGBaseline8Bit);

        assertThat(implicit.explicitVr()).isFalse();
        assertThat(implicit.encapsulated()).isFalse();
        assertThat(bigEndian.bigEndian()).isTrue();
        assertThat(bigEndian.retired()).isTrue();
        assertThat(deflated.deflated()).isTrue();
        assertThat(jpeg.encapsulated()).isTrue();
        assertThat(jpeg.explicitVr()).isTrue();
        assertThat(jpeg.known()).isTrue();
        assertThat(TransferSyntax.all()).hasSizeGreaterThanOrEqualTo(40).contains(implicit, jpeg);
    }

    @Test
    void unknownTransferSyntax() {
        TransferSyntax unknown = TransferSyntax.of("1.2.3.4.5");

        assertThat(unknown.known()).isFalse();
        assertThat(unknown.explicitVr()).isTrue();
        assertThat(unknown.bigEndian()).isFalse();
        assertThat(unknown.encapsulated()).isTrue();
    }

    @Test
    void storageSopClasses() {
        assertThat(StorageSopClasses.isStorage(UID.CTImageStorage)).isTrue();
        assertThat(StorageSopClasses.isStorage(UID.EnhancedSRStorage)).isTrue();
        assertThat(StorageSopClasses.isStorage("1.2.840.10008.5.1.4.1.1.5")).as("retired NM Image Storage").isTrue();
        assertThat(StorageSopClasses.isStorage(UID.Verification)).isFalse();
        assertThat(StorageSopClasses.isStorage(UID.StorageCommitmentPushModel)).isFalse();
        assertThat(StorageSopClasses.isStorage(UID.MediaStorageDirectoryStorage)).isFalse();
        assertThat(StorageSopClasses.all()).hasSizeGreaterThan(150);
    }

    @Test
    void registryNames() {
        assertThat(UidRegistry.nameOf(UID.Verification)).isEqualTo("Verification SOP Class");
        assertThat(UidRegistry.lookup(UID.ExplicitVRLittleEndian).type()).isEqualTo(UidRegistry.TYPE_TRANSFER_SYNTAX);
        assertThat(UidRegistry.nameOf("1.2.3")).isEqualTo("1.2.3");
    }
}
