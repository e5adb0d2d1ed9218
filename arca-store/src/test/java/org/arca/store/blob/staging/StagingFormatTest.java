package org.arca.store.blob.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.zip.CRC32C;

import org.arca.store.blob.BlobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader test of staging pack format version 1: a pack built byte by byte from the layout in
 * {@link StagingFormat}'s documentation, not with its encoder.
 */
class StagingFormatTest {

    @TempDir
    Path temp;

    @Test
    void readsVersion1PackBuiltByHand() throws Exception {
        byte[] blob = "a staged blob".getBytes(StandardCharsets.US_ASCII);
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(blob);
        Path pack = temp.resolve("pack-000000000009.arcp");
        Files.write(pack, concat(packHeader(9, 1), entryHeader(9, sha256, blob.length), blob, new byte[64]));

        try (FileChannel channel = FileChannel.open(pack, StandardOpenOption.READ)) {
            assertThat(StagingPack.scanEntries(channel, pack.toString()))
                    .containsExactly(new StagedLocation(BlobId.ofDigest(sha256), 32, blob.length));
        }
    }

    @Test
    void rejectsOtherVersion() throws IOException {
        Path pack = temp.resolve("pack-000000000009.arcp");
        Files.write(pack, packHeader(9, 2));

        try (FileChannel channel = FileChannel.open(pack, StandardOpenOption.READ)) {
            assertThatThrownBy(() -> StagingPack.scanEntries(channel, pack.toString()))
                    .isInstanceOf(StagingFormatException.class).hasMessageContaining("format version 2");
        }
    }

    @Test
    void entryOfAnotherPackNumberEndsThePack() throws Exception {
        byte[] blob = new byte[] {5, 6, 7};
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(blob);
        Path pack = temp.resolve("pack-000000000009.arcp");
        Files.write(pack, concat(packHeader(9, 1), entryHeader(8, sha256, blob.length), blob));

        try (FileChannel channel = FileChannel.open(pack, StandardOpenOption.READ)) {
            assertThat(StagingPack.scanEntries(channel, pack.toString())).isEmpty();
        }
    }

    private static byte[] packHeader(long number, int version) {
        ByteBuffer header = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        header.put("ARCAPACK".getBytes(StandardCharsets.US_ASCII)).putInt(version).putInt(32).putLong(number);
        header.putInt(crc(header.array(), 0, 24)).putInt(0);
        return header.array();
    }

    private static byte[] entryHeader(long packNumber, byte[] sha256, long length) {
        ByteBuffer header = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
        header.put(new byte[] {'A', 'P', 'K', 'E'}).putInt(0).putLong(packNumber).putLong(length).put(sha256);
        header.putInt(4, crc(header.array(), 8, 48));
        return header.array();
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }
}
