package org.arca.store.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.arca.dicom.data.VR;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MatchingTest {

    private static Matching parse(VR vr, String... values) {
        return Matching.parse(values, vr);
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.3: a zero-length value or a lone * is universal matching")
    void universal() {
        assertThat(Matching.parse(null, VR.LO)).isInstanceOf(Matching.Universal.class);
        assertThat(parse(VR.LO)).isInstanceOf(Matching.Universal.class);
        assertThat(parse(VR.LO, "")).isInstanceOf(Matching.Universal.class);
        assertThat(parse(VR.PN, "*")).isInstanceOf(Matching.Universal.class);
        assertThat(parse(VR.DA, "-")).isInstanceOf(Matching.Universal.class);
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.1: a value without wildcards is single value matching")
    void singleValue() {
        assertThat(parse(VR.LO, "PID-1")).isEqualTo(new Matching.SingleValue("PID-1"));
        assertThat(parse(VR.DA, "20240115")).isEqualTo(new Matching.SingleValue("20240115"));
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.2: several UIDs separated by backslash are list of UID matching")
    void uidList() {
        assertThat(parse(VR.UI, "1.2.3", "1.2.4")).isEqualTo(new Matching.ValueList(List.of("1.2.3", "1.2.4")));
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.4: * and ? are wildcards only on AE, CS, LO, LT, PN, SH, ST, UC, UR, UT")
    void wildcard() {
        assertThat(parse(VR.PN, "Doe*")).isEqualTo(new Matching.Wildcard("Doe*"));
        assertThat(parse(VR.SH, "AC?-1")).isEqualTo(new Matching.Wildcard("AC?-1"));
        assertThat(parse(VR.UI, "1.2.*")).isEqualTo(new Matching.SingleValue("1.2.*"));
        assertThat(parse(VR.DA, "2024*")).isEqualTo(new Matching.SingleValue("2024*"));
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.5: A-B, -B and A- on DA, TM and DT are ranges with both ends included")
    void range() {
        assertThat(parse(VR.DA, "20240101-20240131")).isEqualTo(new Matching.Range("20240101", "20240131"));
        assertThat(parse(VR.DA, "-20240131")).isEqualTo(new Matching.Range(null, "20240131"));
        assertThat(parse(VR.TM, "1000-")).isEqualTo(new Matching.Range("1000", null));
        assertThat(parse(VR.DT, "20240101120000-20240102")).isEqualTo(
                new Matching.Range("20240101120000", "20240102"));
        assertThat(parse(VR.LO, "A-B")).isEqualTo(new Matching.SingleValue("A-B"));
    }
}
