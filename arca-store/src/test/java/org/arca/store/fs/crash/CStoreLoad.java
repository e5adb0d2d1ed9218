package org.arca.store.fs.crash;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import org.arca.dicom.association.AcceptorConfig;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.association.DicomServer;
import org.arca.dicom.association.RequestorConfig;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.dimse.CStoreScp;
import org.arca.dicom.dimse.CommandField;
import org.arca.dicom.dimse.DimseException;
import org.arca.dicom.dimse.DimseServiceRegistry;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.dimse.StorageHandler;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.store.blob.staging.StagingArea;
import org.arca.store.ingest.IngestException;
import org.arca.store.ingest.IngestRequest;
import org.arca.store.ingest.IngestService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrent C-STORE associations against a real {@link DicomServer} whose {@link CStoreScp} ingests
 * through an {@link IngestService}. Each instance is a small generated CT dataset with random pixel
 * data, so that a torn or lost sector changes its bytes. For each instance the load records the
 * status the SCU received and the crash point (the recorder's operation count) right after the
 * SCU saw the response.
 */
final class CStoreLoad {

    private static final Logger LOG = LoggerFactory.getLogger(CStoreLoad.class);

    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final String UID_ROOT = "1.2.826.0.1.3680043.8.498.77.";

    /** One C-STORE: the dataset sent, the status received, and the operation count when it arrived. */
    record Sent(String sopInstanceUid, byte[] dataset, int status, int responseMark) {

        /** Returns whether the SCU saw Success before a crash after the first {@code crashPoint} operations. */
        boolean acknowledgedBefore(int crashPoint) {
            return status == Status.SUCCESS && responseMark <= crashPoint;
        }
    }

    private CStoreLoad() {
    }

    /**
     * Maps storage failures to Out of Resources (0xA700), which asks the sender to keep the instance
     * and send it again. This handler replaces the server's, which arca-store cannot reach.
     */
    static StorageHandler handler(IngestService ingest) {
        return (association, context, request, dataset) -> {
            IngestRequest ingestRequest = new IngestRequest(request.affectedSopClassUid(),
                    request.affectedSopInstanceUid(), context.transferSyntax(), association.callingAeTitle());
            try {
                ingest.ingest(ingestRequest, dataset);
                return Status.SUCCESS;
            } catch (IngestException e) {
                int status = switch (e.reason()) {
                    case NO_SPACE, IO_ERROR -> Status.OUT_OF_RESOURCES;
                    default -> Status.CANNOT_UNDERSTAND;
                };
                LOG.error("ALERT {}: storing SOP Instance {} failed ({}); sent status 0x{}. {}", association.name(),
                        request.affectedSopInstanceUid(), e.reason(), Integer.toHexString(status), e.getMessage());
                throw new DimseException(status, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DimseException(Status.PROCESSING_FAILURE, "Interrupted while storing");
            }
        };
    }

    static DicomServer startServer(IngestService ingest) throws IOException {
        DimseServiceRegistry registry = new DimseServiceRegistry().registerVerification()
                .register(CommandField.C_STORE_RQ, CT, new CStoreScp(handler(ingest)));
        return new DicomServer(AcceptorConfig.builder("ARCA").bindAddress("127.0.0.1")
                .acceptedAbstractSyntax(uid -> true).build(), registry.handler()).start();
    }

    /**
     * Runs {@code associations} concurrent associations of {@code perAssociation} C-STOREs each and
     * returns every C-STORE in no particular order.
     */
    static List<Sent> run(int port, int associations, int perAssociation, long seed, IntSupplier mark)
            throws Exception {
        List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(associations);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int a = 0; a < associations; a++) {
                int association = a;
                futures.add(pool.submit(() -> {
                    storeAll(port, association, perAssociation, new Random(seed + association), mark, sent);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return List.copyOf(sent);
    }

    /** Opens an association that proposes CT Image Storage in Explicit VR Little Endian. */
    static Association connect(int port, String callingAeTitle) throws IOException {
        return AssociationRequestor.connect(RequestorConfig.builder("127.0.0.1", port, callingAeTitle, "ARCA")
                .presentationContexts(RequestorConfig.contexts(List.of(CT), List.of(EXPLICIT_LE)))
                .responseTimeoutMs(60_000).build());
    }

    /** Sends one C-STORE and returns the status of the response. */
    static int store(Association scu, String sopInstanceUid, byte[] dataset) throws IOException {
        return scu.cstore(CT, sopInstanceUid, EXPLICIT_LE, new ByteArrayInputStream(dataset),
                CommandField.PRIORITY_MEDIUM).status();
    }

    private static void storeAll(int port, int association, int count, Random random, IntSupplier mark,
            List<Sent> sent) throws IOException {
        Association scu = connect(port, "SCU" + association);
        try {
            for (int i = 0; i < count; i++) {
                String uid = UID_ROOT + association + "." + (i + 1);
                byte[] dataset = dataset(uid, association, random);
                int status = store(scu, uid, dataset);
                sent.add(new Sent(uid, dataset, status, mark.getAsInt()));
            }
        } finally {
            scu.release();
        }
    }

    /** Builds a CT dataset of one study per association, with 1-12 KiB of random pixel data. */
    static byte[] dataset(String sopInstanceUid, int association, Random random) {
        return dataset(sopInstanceUid, association, random, 1024 * (1 + random.nextInt(12)));
    }

    /** Builds a dataset too large for the staging area, so that its blob goes straight to its own file. */
    static byte[] largeDataset(String sopInstanceUid, int association, Random random) {
        return dataset(sopInstanceUid, association, random, StagingArea.MAX_STAGED_BLOB_BYTES + 1024 * random.nextInt(64));
    }

    private static byte[] dataset(String sopInstanceUid, int association, Random random, int pixelBytes) {
        Attributes attributes = new Attributes();
        attributes.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        attributes.setString(Tag.SOPClassUID, VR.UI, CT);
        attributes.setString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
        attributes.setString(Tag.StudyDate, VR.DA, "20261204");
        attributes.setString(Tag.Modality, VR.CS, "CT");
        attributes.setString(Tag.PatientName, VR.PN, "CRASH^TEST" + association);
        attributes.setString(Tag.PatientID, VR.LO, "PID-" + association);
        attributes.setString(Tag.StudyInstanceUID, VR.UI, UID_ROOT + "100." + association);
        attributes.setString(Tag.SeriesInstanceUID, VR.UI, UID_ROOT + "101." + association);
        byte[] pixels = new byte[pixelBytes];
        random.nextBytes(pixels);
        attributes.setBytes(Tag.PixelData, VR.OW, pixels);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            new DicomOutputStream(bytes).writeDataset(attributes, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}
