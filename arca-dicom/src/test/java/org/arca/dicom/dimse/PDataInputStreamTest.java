package org.arca.dicom.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.arca.dicom.pdu.Pdv;
import org.junit.jupiter.api.Test;

class PDataInputStreamTest {

    /** Hands out a fixed list of received PDVs, then null as a released association does. */
    private static final class ReceivedChannel implements PdvChannel {
        final Deque<Pdv> pending;

        ReceivedChannel(List<Pdv> pdvs) {
            pending = new ArrayDeque<>(pdvs);
        }

        @Override
        public Pdv nextPdv() {
            return pending.poll();
        }

        @Override
        public void writePdv(int contextId, boolean command, boolean last, byte[] data, int offset, int length) {
            throw new UnsupportedOperationException("this channel only receives");
        }

        @Override
        public int maxPdvDataLength() {
            return 100;
        }

        @Override
        public String name() {
            return "TEST";
        }
    }

    /** The data set ends after the PDV with the last flag; the next message's PDVs stay unread. */
    @Test
    void readsUpToLastFragment() throws Exception {
        ReceivedChannel channel = new ReceivedChannel(List.of(
                new Pdv(1, false, false, new byte[] {1, 2}),
                new Pdv(1, false, true, new byte[] {3}),
                new Pdv(1, true, true, new byte[] {9})));
        PDataInputStream in = new PDataInputStream(channel, 1);

        assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        assertThat(in.isComplete()).isTrue();
        assertThat(channel.pending).hasSize(1);
    }

    /**
     * After a command PDV inside the data set, a drain fails at once instead of reading on, so
     * that the PDVs after the broken one are never taken for this data set.
     */
    @Test
    void drainAfterProtocolErrorReadsNoFurther() throws Exception {
        ReceivedChannel channel = new ReceivedChannel(List.of(
                new Pdv(1, false, false, new byte[] {1, 2}),
                new Pdv(1, true, true, new byte[] {9}),
                new Pdv(1, false, true, new byte[] {3})));
        PDataInputStream in = new PDataInputStream(channel, 1);

        assertThatThrownBy(in::readAllBytes).isInstanceOf(DimseProtocolException.class)
                .hasMessageContaining("Expected a data PDV on presentation context 1");
        assertThatThrownBy(in::drain).isInstanceOf(DimseProtocolException.class)
                .hasMessageContaining("Expected a data PDV on presentation context 1");
        assertThat(channel.pending).hasSize(1);
    }

    /** An association that ends inside the data set fails the read and names the bytes received. */
    @Test
    void associationEndingInsideDataSetFails() {
        ReceivedChannel channel = new ReceivedChannel(List.of(new Pdv(1, false, false, new byte[] {1, 2})));
        PDataInputStream in = new PDataInputStream(channel, 1);

        assertThatThrownBy(in::drain).isInstanceOf(DimseProtocolException.class)
                .hasMessageContaining("ended before the last fragment of the data set; 2 bytes were received");
    }
}
