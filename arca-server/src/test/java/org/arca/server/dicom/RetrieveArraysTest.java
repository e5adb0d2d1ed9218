package org.arca.server.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetrieveArraysTest {

    @Test
    void newArrayIsRoundedUpTo64KiB() {
        assertThat(new RetrieveArrays().take(525_000)).hasSize(9 * 64 * 1024);
        assertThat(new RetrieveArrays().take(1)).hasSize(64 * 1024);
    }

    @Test
    void givenArrayIsReusedWhenLargeEnough() {
        RetrieveArrays arrays = new RetrieveArrays();
        byte[] small = arrays.take(1000);
        arrays.give(small);

        byte[] larger = arrays.take(small.length + 1);
        assertThat(larger).isNotSameAs(small);
        assertThat(arrays.take(small.length)).isSameAs(small);
    }

    /** A buffer closed twice gives its array twice; the array must still go to one reader only. */
    @Test
    void arrayGivenTwiceIsLentOnce() {
        RetrieveArrays arrays = new RetrieveArrays();
        byte[] array = arrays.take(1000);
        arrays.give(array);
        arrays.give(array);

        assertThat(arrays.take(1000)).isSameAs(array);
        assertThat(arrays.take(1000)).isNotSameAs(array);
    }

    @Test
    void keepsAtMostTwoArrays() {
        RetrieveArrays arrays = new RetrieveArrays();
        byte[] first = arrays.take(1000);
        byte[] second = arrays.take(1000);
        byte[] third = arrays.take(1000);
        arrays.give(first);
        arrays.give(second);
        arrays.give(third);

        // Identity, not content: every array here contains zeros.
        byte[] a = arrays.take(1000);
        byte[] b = arrays.take(1000);
        byte[] c = arrays.take(1000);
        assertThat(a == first && b == second || a == second && b == first).isTrue();
        assertThat(c).isNotSameAs(first).isNotSameAs(second).isNotSameAs(third);
    }
}
