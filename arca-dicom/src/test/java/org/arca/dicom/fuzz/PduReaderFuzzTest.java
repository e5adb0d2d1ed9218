package org.arca.dicom.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.List;
import java.util.Random;
import org.arca.dicom.pdu.AAbort;
import org.arca.dicom.pdu.AAssociateRj;
import org.arca.dicom.pdu.Pdu;
import org.arca.dicom.pdu.PduException;
import org.arca.dicom.pdu.PduReader;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of {@link PduReader}. Each case is one to three seed PDUs, mutated, read to
 * the end. Allowed outcomes: decoded PDUs, a {@link PduException} that carries an A-ABORT or
 * A-ASSOCIATE-RJ reply, or an {@link EOFException} when the input ends inside a PDU (the
 * reader's contract for a connection closed mid-PDU). Anything else fails, and so does a case
 * that allocates more than the PDU caps allow.
 */
class PduReaderFuzzTest {

    private static final int MAX_PDU_LENGTH = 16384;
    /** The most one case may allocate: the largest PDU body the reader accepts, plus decoding overhead. */
    private static final long ALLOCATION_CAP_BYTES = 4L * PduReader.ASSOCIATE_PDU_CAP + (1 << 20);

    @Test
    void mutatedPdusDecodeOrFail() {
        FuzzBudget budget = FuzzBudget.of("PduReaderFuzzTest", 1.0);
        Random random = budget.random();
        Mutator mutator = new Mutator(random, true);
        List<byte[]> seeds = PduSeeds.all();
        int[] outcomes = new int[3];
        warmUp(seeds);

        for (int i = 0; i < budget.cases; i++) {
            byte[] input = mutatedInput(random, mutator, seeds);
            outcomes[readAll(input, budget.where(i))]++;
        }

        budget.printDone(budget.cases, outcomes[0] + " decoded to the end, " + outcomes[1]
                + " rejected with a reply PDU, " + outcomes[2] + " ended inside a PDU");
        assertThat(outcomes[0]).as("cases that decoded").isPositive();
        assertThat(outcomes[1]).as("cases rejected with a reply").isPositive();
    }

    @Test
    void pduLengthMaxRejectedWithoutAllocation() {
        byte[] header = {0x04, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        warmUp(PduSeeds.all());
        long before = FuzzBudget.allocatedBytes();

        int outcome = readAll(header, "P-DATA-TF with length 0xFFFFFFFF");

        assertThat(outcome).isEqualTo(1);
        assertThat(FuzzBudget.allocatedBytes() - before).isLessThan(ALLOCATION_CAP_BYTES);
    }

    /** Loads the classes the reader uses, whose one-time allocations would otherwise count against the first case. */
    private static void warmUp(List<byte[]> seeds) {
        for (byte[] seed : seeds) {
            outcomeOf(seed, "seed");
            outcomeOf(java.util.Arrays.copyOf(seed, seed.length - 1), "truncated seed");
        }
        outcomeOf(new byte[] {0x7F, 0, 0, 0, 0, 0}, "unknown PDU type");
    }

    private static byte[] mutatedInput(Random random, Mutator mutator, List<byte[]> seeds) {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        int pdus = 1 + random.nextInt(3);
        for (int p = 0; p < pdus; p++) {
            input.writeBytes(seeds.get(random.nextInt(seeds.size())));
        }
        byte[] bytes = input.toByteArray();
        if (random.nextInt(4) == 0) {
            // The PDU length field itself, the first thing a reader trusts.
            bytes = mutator.setLength32(bytes, 2);
        }
        return mutator.mutate(bytes);
    }

    /** Reads PDUs until the end of input and fails if that allocated more than the cap allows. */
    private static int readAll(byte[] input, String where) {
        long before = FuzzBudget.allocatedBytes();
        int outcome = outcomeOf(input, where);
        long allocated = FuzzBudget.allocatedBytes() - before;
        if (allocated > ALLOCATION_CAP_BYTES + 8L * input.length) {
            fail(where + ": reading " + input.length + " bytes allocated " + allocated + " bytes");
        }
        return outcome;
    }

    /** Reads PDUs until the end of input; returns 0 for a clean end, 1 for a PduException, 2 for EOF. */
    private static int outcomeOf(byte[] input, String where) {
        PduReader reader = new PduReader(new ByteArrayInputStream(input), MAX_PDU_LENGTH);
        int outcome;
        try {
            Pdu pdu;
            do {
                pdu = reader.read();
            } while (pdu != null);
            outcome = 0;
        } catch (PduException e) {
            assertThat(e.reply()).as(where + ": reply of " + e.getMessage())
                    .isInstanceOfAny(AAbort.class, AAssociateRj.class);
            outcome = 1;
        } catch (EOFException e) {
            outcome = 2;
        } catch (Throwable e) {
            throw new AssertionError(where + ": PduReader threw " + e + " for input " + hex(input), e);
        }
        return outcome;
    }

    static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 512); i++) {
            text.append(String.format("%02X", bytes[i]));
        }
        return bytes.length > 512 ? text + "... (" + bytes.length + " bytes)" : text.toString();
    }
}
