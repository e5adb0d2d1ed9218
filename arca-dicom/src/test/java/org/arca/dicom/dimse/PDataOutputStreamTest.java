package org.arca.dicom.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arca.dicom.pdu.Pdv;
import org.junit.jupiter.api.Test;

class PDataOutputStreamTest {

    private static final int MAX_PDV = 100;

    /** One sent PDV: its data, whether it was marked last, and the array it was sent from. */
    private record SentPdv(byte[] data, boolean last, byte[] source) {
    }

    /** Keeps every PDV it is asked to send, as a copy of the caller's slice at that moment. */
    private static final class KeepingChannel implements PdvChannel {
        final List<SentPdv> sent = new ArrayList<>();

        @Override
        public Pdv nextPdv() {
            throw new UnsupportedOperationException("this channel only sends");
        }

        @Override
        public String name() {
            return "TEST";
        }

        @Override
        public void writePdv(int contextId, boolean command, boolean last, byte[] data, int offset, int length) {
            assertThat(command).isFalse();
            byte[] copy = new byte[length];
            System.arraycopy(data, offset, copy, 0, length);
            sent.add(new SentPdv(copy, last, data));
        }

        @Override
        public int maxPdvDataLength() {
            return MAX_PDV;
        }

        byte[] joined() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            sent.forEach(pdv -> all.writeBytes(pdv.data()));
            return all.toByteArray();
        }
    }

    /** A large write sends full PDVs straight from the caller's array; the rest waits for close. */
    @Test
    void largeWriteSendsFromCallerArray() throws Exception {
        KeepingChannel channel = new KeepingChannel();
        byte[] data = randomBytes(350);

        PDataOutputStream out = new PDataOutputStream(channel, 1);
        out.write(data, 0, data.length);
        assertThat(channel.sent).hasSize(3);
        out.close();

        assertThat(channel.joined()).isEqualTo(data);
        assertThat(channel.sent).extracting(pdv -> pdv.data().length).containsExactly(100, 100, 100, 50);
        assertThat(channel.sent).extracting(SentPdv::last).containsExactly(false, false, false, true);
        for (int i = 0; i < 3; i++) {
            assertThat(channel.sent.get(i).source()).as("PDV %d is sent from the caller's array", i).isSameAs(data);
        }
        assertThat(channel.sent.get(3).source()).isNotSameAs(data);
    }

    /** Bytes that end exactly on a PDV boundary still leave a full, last PDV for close. */
    @Test
    void exactMultipleEndsWithFullLastPdv() throws Exception {
        KeepingChannel channel = new KeepingChannel();
        byte[] data = randomBytes(300);

        try (PDataOutputStream out = new PDataOutputStream(channel, 1)) {
            out.write(data, 0, data.length);
        }

        assertThat(channel.joined()).isEqualTo(data);
        assertThat(channel.sent).extracting(pdv -> pdv.data().length).containsExactly(100, 100, 100);
        assertThat(channel.sent).extracting(SentPdv::last).containsExactly(false, false, true);
    }

    /** Writes after buffered bytes fill the buffer first, so the PDVs keep the order of the bytes. */
    @Test
    void mixedWritesKeepTheOrderOfBytes() throws Exception {
        KeepingChannel channel = new KeepingChannel();
        byte[] data = randomBytes(1000);

        try (PDataOutputStream out = new PDataOutputStream(channel, 1)) {
            out.write(data[0]);
            out.write(data, 1, 30);
            out.write(data, 31, 500);
            out.write(data, 531, 469);
        }

        assertThat(channel.joined()).isEqualTo(data);
        assertThat(channel.sent).allSatisfy(pdv -> assertThat(pdv.data().length).isBetween(1, MAX_PDV));
        assertThat(channel.sent).extracting(SentPdv::last).containsOnlyOnce(true);
        assertThat(channel.sent.get(channel.sent.size() - 1).last()).isTrue();
    }

    @Test
    void emptyDatasetIsOneEmptyLastPdv() throws Exception {
        KeepingChannel channel = new KeepingChannel();

        new PDataOutputStream(channel, 1).close();

        assertThat(channel.sent).hasSize(1);
        assertThat(channel.sent.get(0).data()).isEmpty();
        assertThat(channel.sent.get(0).last()).isTrue();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
