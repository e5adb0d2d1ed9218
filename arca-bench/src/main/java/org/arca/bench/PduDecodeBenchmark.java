package org.arca.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.arca.dicom.pdu.Pdu;
import org.arca.dicom.pdu.PduException;
import org.arca.dicom.pdu.PduReader;
import org.arca.dicom.pdu.PduWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding a stream of P-DATA-TF PDUs from memory with {@link PduReader}, as an SCP receives a
 * C-STORE: 4 MiB of dataset bytes cut into PDUs of the given maximum length (16 KiB is dcmtk's
 * default, 1 MiB a large negotiated value). The score is in microseconds per 4 MiB stream, so
 * 4,194,304 / score is the decode rate in MB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PduDecodeBenchmark {

    private static final int STREAM_BYTES = 4 * 1024 * 1024;

    @Param({"16384", "1048576"})
    public int maxPduLength;

    private byte[] stream;

    @Setup
    public void encode() throws IOException {
        byte[] data = new byte[maxPduLength - 6];
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(STREAM_BYTES + STREAM_BYTES / 100);
        PduWriter writer = new PduWriter(bytes);
        for (int sent = 0; sent < STREAM_BYTES; sent += data.length) {
            int length = Math.min(data.length, STREAM_BYTES - sent);
            writer.writePData(1, false, sent + length == STREAM_BYTES, data, 0, length);
        }
        stream = bytes.toByteArray();
    }

    @Benchmark
    public int readPDataTf() throws IOException, PduException {
        PduReader reader = new PduReader(new ByteArrayInputStream(stream), maxPduLength);
        int count = 0;
        for (Pdu pdu = reader.read(); pdu != null; pdu = reader.read()) {
            count++;
        }
        return count;
    }
}
