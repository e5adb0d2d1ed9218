package org.arca.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SHA-256 of a 64 MiB stream fed in 256 KiB chunks (the blob store's buffer size), in milliseconds
 * per stream: 64 / (score in seconds) is the hash rate in MiB/s. This is the hash that every
 * received instance passes through once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class Sha256Benchmark {

    private static final int STREAM_BYTES = 64 * 1024 * 1024;
    private static final int CHUNK_BYTES = 256 * 1024;

    private byte[] chunk;

    @Setup
    public void fill() {
        chunk = new byte[CHUNK_BYTES];
        new SplittableRandom(256).nextBytes(chunk);
    }

    @Benchmark
    public byte[] sha256Of64MiB() throws NoSuchAlgorithmException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (int hashed = 0; hashed < STREAM_BYTES; hashed += CHUNK_BYTES) {
            sha256.update(chunk);
        }
        return sha256.digest();
    }
}
