package org.arca.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildSmokeTest {
    @Test
    void buildRunsTests() {
        assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(17);
    }
}
