package org.arca.dicom.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.DicomParseException;
import org.arca.dicom.io.ReadOptions;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of {@link DicomInputStream}, seeded with every file of pydicom's test_files
 * and charset_files and with synthetic deeply nested sequences. Allowed outcomes: a dataset, or
 * a {@link DicomParseException}. Anything else fails, and so does a case that allocates more
 * than the value caps allow for its input length.
 */
class DicomInputStreamFuzzTest {

    private static final Path PYDICOM_DATA = Path.of("/usr/lib/python3/dist-packages/pydicom/data");
    /** Seeds are cut to this length so that each case stays fast; the cut itself is a truncation. */
    private static final int MAX_SEED_LENGTH = 256 * 1024;
    /** Per-case allocation allowance: one full small value (1 MiB) twice over, plus parse overhead. */
    private static final long ALLOCATION_BASE_BYTES = 8L << 20;
    /** Per input byte: an element header of 8 bytes becomes a tree node, a value array and an entry. */
    private static final long ALLOCATION_PER_INPUT_BYTE = 64;

    @Test
    void mutatedFilesParseOrFail() throws IOException {
        FuzzBudget budget = FuzzBudget.of("DicomInputStreamFuzzTest", 1.0);
        Random random = budget.random();
        Mutator mutator = new Mutator(random, false);
        List<byte[]> seeds = seeds();
        assertThat(seeds).as("seed files under " + PYDICOM_DATA).hasSizeGreaterThan(50);
        warmUp(seeds);
        int[] outcomes = new int[2];

        for (int i = 0; i < budget.cases; i++) {
            byte[] input = mutator.mutate(seeds.get(random.nextInt(seeds.size())));
            outcomes[parse(input, budget.where(i))]++;
        }

        budget.printDone(budget.cases, seeds.size() + " seeds, " + outcomes[0] + " parsed, " + outcomes[1]
                + " rejected with DicomParseException");
        assertThat(outcomes[0]).as("cases that parsed").isPositive();
        assertThat(outcomes[1]).as("cases rejected").isPositive();
    }

    @Test
    void deepUndefinedLengthNestingRejected() {
        byte[] input = nestedSequences(2_000, true);

        assertThat(parse(input, "2000 nested sequences of undefined length")).isEqualTo(1);
    }

    @Test
    void deepDefinedLengthNestingRejected() {
        byte[] input = nestedSequences(1_000, false);

        assertThat(parse(input, "1000 nested sequences of defined length")).isEqualTo(1);
    }

    @Test
    void shallowNestingParses() {
        assertThat(parse(nestedSequences(30, true), "30 nested sequences of undefined length")).isZero();
        assertThat(parse(nestedSequences(30, false), "30 nested sequences of defined length")).isZero();
    }

    private static List<byte[]> seeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (String directory : List.of("test_files", "charset_files")) {
            try (Stream<Path> files = Files.walk(PYDICOM_DATA.resolve(directory))) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    byte[] bytes = Files.readAllBytes(file);
                    seeds.add(Arrays.copyOf(bytes, Math.min(bytes.length, MAX_SEED_LENGTH)));
                }
            }
        }
        seeds.add(nestedSequences(20, true));
        seeds.add(nestedSequences(20, false));
        return seeds;
    }

    private static void warmUp(List<byte[]> seeds) {
        for (byte[] seed : seeds) {
            outcomeOf(seed, "seed");
        }
    }

    /** Parses the input and fails if that allocated more than its length allows. */
    private static int parse(byte[] input, String where) {
        long before = FuzzBudget.allocatedBytes();
        int outcome = outcomeOf(input, where);
        long allocated = FuzzBudget.allocatedBytes() - before;
        if (allocated > ALLOCATION_BASE_BYTES + ALLOCATION_PER_INPUT_BYTE * input.length) {
            fail(where + ": parsing " + input.length + " bytes allocated " + allocated + " bytes");
        }
        return outcome;
    }

    /** Returns 0 when the input parsed and 1 when it was rejected with a DicomParseException. */
    private static int outcomeOf(byte[] input, String where) {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(input))) {
            in.readFileMetaInformation();
            in.readDataset(ReadOptions.defaults());
            return 0;
        } catch (DicomParseException e) {
            return 1;
        } catch (Throwable e) {
            throw new AssertionError(where + ": DicomInputStream threw " + e + " for input "
                    + PduReaderFuzzTest.hex(input), e);
        }
    }

    /**
     * Returns a bare implicit VR little endian dataset of {@code depth} sequences, each the only
     * element of an item of the one before (Referenced Series Sequence, (0008,1115)).
     */
    static byte[] nestedSequences(int depth, boolean undefinedLength) {
        byte[] inner = {0x08, 0x00, 0x18, 0x00, 0x02, 0x00, 0x00, 0x00, '1', 0};
        for (int level = 0; level < depth; level++) {
            ByteArrayOutputStream sequence = new ByteArrayOutputStream();
            writeHeader(sequence, 0x0008, 0x1115, undefinedLength ? -1 : inner.length + 8);
            writeHeader(sequence, 0xFFFE, 0xE000, undefinedLength ? -1 : inner.length);
            sequence.writeBytes(inner);
            if (undefinedLength) {
                writeHeader(sequence, 0xFFFE, 0xE00D, 0);
                writeHeader(sequence, 0xFFFE, 0xE0DD, 0);
            }
            inner = sequence.toByteArray();
        }
        return inner;
    }

    private static void writeHeader(ByteArrayOutputStream out, int group, int element, int length) {
        out.writeBytes(new byte[] {(byte) group, (byte) (group >> 8), (byte) element, (byte) (element >> 8),
                (byte) length, (byte) (length >> 8), (byte) (length >> 16), (byte) (length >> 24)});
    }
}
