package org.arca.dicom.fuzz;

import java.lang.management.ManagementFactory;
import java.util.Random;

/**
 * The seed and the number of cases of one fuzzer run. The seed comes from
 * {@code -Darca.fuzz.seed=N} (otherwise from the clock) and the count from
 * {@code -Darca.fuzz.cases=N} (otherwise {@link #DEFAULT_CASES}). Both are printed, so that a
 * failing run can be repeated exactly.
 */
final class FuzzBudget {

    /** Cases per fuzzer when no count is given: what a CI run affords on two cores. */
    static final int DEFAULT_CASES = 10_000;

    final String fuzzer;
    final long seed;
    final int cases;

    private FuzzBudget(String fuzzer, long seed, int cases) {
        this.fuzzer = fuzzer;
        this.seed = seed;
        this.cases = cases;
    }

    /** Reads the budget from the system properties, scaling the default count by {@code defaultShare}. */
    static FuzzBudget of(String fuzzer, double defaultShare) {
        long seed = Long.getLong("arca.fuzz.seed", System.nanoTime());
        int defaultCases = (int) Math.max(1, Math.round(DEFAULT_CASES * defaultShare));
        int cases = Integer.getInteger("arca.fuzz.cases", defaultCases);
        FuzzBudget budget = new FuzzBudget(fuzzer, seed, cases);
        System.out.println(fuzzer + ": seed " + seed + ", " + cases + " cases (rerun with -Darca.fuzz.seed=" + seed
                + " -Darca.fuzz.cases=" + cases + ")");
        return budget;
    }

    Random random() {
        return new Random(seed);
    }

    /** Returns a generator of its own for one case, derived from the seed and the case number. */
    Random randomForCase(int caseNumber) {
        return new Random(seed * 1_000_003L + caseNumber);
    }

    /** Returns the text that failure messages start with, so that the case can be rerun. */
    String where(int caseNumber) {
        return fuzzer + " case " + caseNumber + " of seed " + seed;
    }

    void printDone(int casesRun, String details) {
        System.out.println(fuzzer + ": ran " + casesRun + " cases of seed " + seed + "; " + details);
    }

    /** Returns the bytes this thread has allocated so far (HotSpot's per-thread counter). */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
