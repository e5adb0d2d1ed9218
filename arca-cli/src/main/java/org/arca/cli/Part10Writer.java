package org.arca.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.io.FileMetaInformation;

/**
 * Writes received instances as Part 10 files {@code <SOP Instance UID>.dcm}: file meta
 * information built by {@link FileMetaInformation}, then the dataset bytes exactly as received.
 */
final class Part10Writer {

    /** A UID of PS3.5 section 9: digits and dots, at most 64 characters. Safe as a file name. */
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final int MAX_UID_LENGTH = 64;

    private final Path directory;

    Part10Writer(Path directory) {
        this.directory = directory;
    }

    /**
     * Writes the file through a temporary file, forces it to disk, renames it into place and
     * forces the directory, so a file that exists under its final name is complete.
     *
     * @param sourceAeTitle the AE that sent the instance, written as Source Application Entity Title
     * @throws IllegalArgumentException if the SOP Instance UID is not a valid UID, since it names the file
     * @return the written file
     */
    Path writeAndFsync(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String sourceAeTitle,
            InputStream dataset) throws IOException {
        boolean validUid = sopInstanceUid != null && sopInstanceUid.length() <= MAX_UID_LENGTH
                && UID.matcher(sopInstanceUid).matches();
        if (!validUid) {
            throw new IllegalArgumentException("Invalid Affected SOP Instance UID '" + sopInstanceUid
                    + "': a UID has only digits and dots and at most 64 characters.");
        }
        Path target = directory.resolve(sopInstanceUid + ".dcm");
        Path temporary = directory.resolve(sopInstanceUid + ".dcm.part");

        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(channel);
            new DicomOutputStream(out).writeFileMetaInformation(
                    FileMetaInformation.create(sopClassUid, sopInstanceUid, transferSyntaxUid, sourceAeTitle));
            dataset.transferTo(out);
            out.flush();
            channel.force(true);
        }

        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory();
        return target;
    }

    private void forceDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
