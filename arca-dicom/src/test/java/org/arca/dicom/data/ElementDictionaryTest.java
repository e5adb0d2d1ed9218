package org.arca.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ElementDictionaryTest {

    @Test
    void lookupStandardTag() {
        DictionaryEntry entry = ElementDictionary.lookup(Tag.PatientName);

        assertThat(entry.vr()).isEqualTo(VR.PN);
        assertThat(entry.vm()).isEqualTo("1");
        assertThat(entry.keyword()).isEqualTo("PatientName");
        assertThat(entry.retired()).isFalse();
    }

    @Test
    void lookupRetiredTag() {
        DictionaryEntry entry = ElementDictionary.lookup(0x00080040);

        assertThat(entry.keyword()).isEqualTo("DataSetType");
        assertThat(entry.retired()).isTrue();
    }

    @Test
    void repeatingGroups() {
        assertThat(ElementDictionary.lookup(0x60020010).keyword()).isEqualTo("OverlayRows");
        assertThat(ElementDictionary.lookup(0x601E3000).vrAlternatives()).isEqualTo("OW|OB");
        assertThat(ElementDictionary.lookup(0x50100005).keyword()).isEqualTo("CurveDimensions");
        assertThat(ElementDictionary.lookup(0x7F100010).keyword()).isEqualTo("VariablePixelData");
        assertThat(ElementDictionary.lookup(0x00203105).keyword()).isEqualTo("SourceImageIDs");
    }

    @Test
    void groupLengthAndPrivateCreator() {
        assertThat(ElementDictionary.lookup(0x00100000).vr()).isEqualTo(VR.UL);
        assertThat(ElementDictionary.lookup(0x00090000).vr()).isEqualTo(VR.UL);
        assertThat(ElementDictionary.lookup(0x00090010).vr()).isEqualTo(VR.LO);
        assertThat(ElementDictionary.lookup(0x000900FF).keyword()).isEqualTo("PrivateCreator");
        assertThat(ElementDictionary.lookup(0x00091010)).isNull();
        assertThat(ElementDictionary.vrOf(0x00091010)).isEqualTo(VR.UN);
        assertThat(ElementDictionary.vrOf(0x00101234)).isEqualTo(VR.UN);
    }

    @Test
    void pseudoVrsMapToFirstAlternative() {
        assertThat(ElementDictionary.vrOf(Tag.PixelData)).isEqualTo(VR.OW);
        assertThat(ElementDictionary.vrOf(Tag.SmallestImagePixelValue)).isEqualTo(VR.US);
        assertThat(ElementDictionary.vrOf(Tag.OffsetOfTheNextDirectoryRecord)).isEqualTo(VR.UL);
    }

    @Test
    void tagHelpers() {
        assertThat(Tag.group(Tag.PatientName)).isEqualTo(0x0010);
        assertThat(Tag.element(Tag.PatientName)).isEqualTo(0x0010);
        assertThat(Tag.toString(Tag.PatientName)).isEqualTo("(0010,0010)");
        assertThat(Tag.toString(Tag.SequenceDelimitationItem)).isEqualTo("(FFFE,E0DD)");
        assertThat(Tag.isPrivate(0x00291010)).isTrue();
        assertThat(Tag.isPrivate(0x00030010)).isFalse();
        assertThat(Tag.isPrivate(Tag.PatientName)).isFalse();
        assertThat(Tag.isPrivateCreator(0x00290010)).isTrue();
        assertThat(Tag.isPrivateCreator(0x00291010)).isFalse();
    }

    @Test
    void vrCodes() {
        assertThat(VR.fromCode(('P' << 8) | 'N')).isEqualTo(VR.PN);
        assertThat(VR.fromCode(('Z' << 8) | 'Z')).isNull();
        assertThat(VR.fromCode(('Z' << 8) | 'Z', VR.UN)).isEqualTo(VR.UN);
        assertThat(VR.values()).hasSize(34);
        assertThat(VR.OB.longLength()).isTrue();
        assertThat(VR.UR.longLength()).isTrue();
        assertThat(VR.UI.paddingByte()).isZero();
        assertThat(VR.LO.paddingByte()).isEqualTo(' ');
        assertThat(VR.AE.maxLength()).isEqualTo(16);
        assertThat(VR.US.longLength()).isFalse();
        for (VR vr : VR.values()) {
            boolean expected = switch (vr) {
                case OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV -> true;
                default -> false;
            };
            assertThat(vr.longLength()).as("longLength of %s", vr).isEqualTo(expected);
        }
    }
}
