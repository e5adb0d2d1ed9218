package org.arca.bench;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.association.RequestorConfig;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;

/**
 * Measures the latency of study-level C-FIND by Patient ID against a running node, over one
 * association, from the C-FIND-RQ to the final response. The Patient IDs are drawn at random (seeded)
 * from those {@link FindIndexFill} wrote, so each query matches {@code studies / patients} studies.
 *
 * <p>Usage: {@code java -cp arca-benchmarks.jar org.arca.bench.FindLatency HOST PORT CALLED_AE
 * PATIENTS QUERIES EXPECTED_MATCHES SEED}. The first tenth of the queries (at least 10) warm up and
 * are not counted. Prints one JSON object: queries, p50_ms, p95_ms, p99_ms, max_ms, mean_ms.
 * Exits with 1 if a query does not succeed or returns other than {@code EXPECTED_MATCHES} matches.
 */
public final class FindLatency {

    private static final String FIND = UID.StudyRootQueryRetrieveInformationModelFind;

    private FindLatency() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: FindLatency HOST PORT CALLED_AE PATIENTS QUERIES EXPECTED_MATCHES SEED");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int patients = Integer.parseInt(args[3]);
        int queries = Integer.parseInt(args[4]);
        int expectedMatches = Integer.parseInt(args[5]);
        long seed = Long.parseLong(args[6]);

        RequestorConfig config = RequestorConfig.builder(host, port, "FINDBENCH", args[2])
                .presentationContexts(List.of(new PresentationContextRq(1, FIND,
                        List.of(UID.ExplicitVRLittleEndian))))
                .responseTimeoutMs(60_000)
                .build();
        Association association = AssociationRequestor.connect(config);
        try {
            int warmUp = Math.max(10, queries / 10);
            SplittableRandom random = new SplittableRandom(seed);
            runQueries(association, warmUp, patients, expectedMatches, random, seed);
            long[] nanos = runQueries(association, queries, patients, expectedMatches, random, seed);
            System.out.println(summary(nanos));
        } finally {
            association.release();
        }
    }

    private static long[] runQueries(Association association, int count, int patients, int expectedMatches,
            SplittableRandom random, long seed) throws Exception {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            String patientId = FindIndexFill.patientId(random.nextInt(patients));
            byte[] identifier = identifier(patientId);
            AtomicInteger matches = new AtomicInteger();
            long started = System.nanoTime();
            DimseResponse response = association.cfind(FIND, 0, identifier, UID.ExplicitVRLittleEndian,
                    match -> matches.incrementAndGet());
            nanos[i] = System.nanoTime() - started;
            if (response.status() != Status.SUCCESS || matches.get() != expectedMatches) {
                System.err.printf("C-FIND for Patient ID %s ended with %s after %d matches, expected %d "
                        + "(seed %d).%n", patientId, response, matches.get(), expectedMatches, seed);
                System.exit(1);
            }
        }
        return nanos;
    }

    /** Encodes a study-level identifier that requests the usual study attributes of one Patient ID. */
    private static byte[] identifier(String patientId) throws Exception {
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setString(Tag.PatientID, VR.LO, patientId);
        for (int tag : new int[] {Tag.StudyInstanceUID, Tag.StudyDate, Tag.AccessionNumber,
                Tag.StudyDescription, Tag.PatientName, Tag.StudyID}) {
            keys.setBytes(tag, org.arca.dicom.data.ElementDictionary.vrOf(tag), new byte[0]);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeDataset(keys, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        return bytes.toByteArray();
    }

    private static String summary(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
        return String.format(java.util.Locale.ROOT,
                "{\"queries\": %d, \"p50_ms\": %.3f, \"p95_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, "
                        + "\"mean_ms\": %.3f}",
                sorted.length, percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
                sorted[sorted.length - 1] / 1e6, mean);
    }

    /** Nearest-rank percentile in milliseconds. */
    private static double percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
