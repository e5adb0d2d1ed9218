package org.arca.server.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.uid.UID;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.blob.PendingBlob;
import org.arca.store.blob.TempBlob;
import org.arca.store.index.InstanceVersion;

/** Publishes Part 10 blobs of Secondary Capture instances for the retrieve tests, as ingest would. */
final class StoredTestBlobs {

    private StoredTestBlobs() {
    }

    /** Publishes the file meta information and the dataset bytes through a temporary file. */
    static InstanceVersion publish(BlobStore blobs, String sopInstanceUid, int instanceNumber, byte[] dataset)
            throws IOException {
        byte[] meta = fileMetaInformation(sopInstanceUid);
        BlobId id;
        try (TempBlob blob = blobs.createTemp()) {
            OutputStream out = blob.outputStream();
            out.write(meta);
            out.write(dataset);
            id = blobs.publishAndFsync(blob);
        }
        return version(sopInstanceUid, instanceNumber, id, meta.length + dataset.length);
    }

    /** Publishes like an ingest of a small instance: the blob is staged, and written out later. */
    static InstanceVersion publishStaged(BlobStore blobs, String sopInstanceUid, byte[] dataset) throws IOException {
        byte[] meta = fileMetaInformation(sopInstanceUid);
        PendingBlob pending = blobs.createPending();
        pending.outputStream().write(meta);
        pending.outputStream().write(dataset);
        BlobId id = blobs.publishAndFsync(pending);
        return version(sopInstanceUid, 1, id, meta.length + dataset.length);
    }

    /** Flips the byte in the middle of a blob file, which is read-only like every published blob. */
    static void flipMiddleByte(Path blob) throws IOException {
        Files.setPosixFilePermissions(blob, PosixFilePermissions.fromString("rw-r--r--"));
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= (byte) 0xFF;
        Files.write(blob, bytes);
    }

    private static InstanceVersion version(String sopInstanceUid, int instanceNumber, BlobId id, long sizeBytes) {
        return new InstanceVersion("1.2", "1.2.3", sopInstanceUid, 1, true, UID.SecondaryCaptureImageStorage,
                String.valueOf(instanceNumber), UID.ExplicitVRLittleEndian, null, id.hex(), sizeBytes, 1, 0, "TEST");
    }

    private static byte[] fileMetaInformation(String sopInstanceUid) throws IOException {
        Attributes meta = new Attributes();
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstanceUid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeFileMetaInformation(meta);
        return bytes.toByteArray();
    }
}
