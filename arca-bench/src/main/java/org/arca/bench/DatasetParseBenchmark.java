package org.arca.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.arca.dicom.data.Attributes;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.ReadOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Parsing a whole Part 10 file from memory with {@link DicomInputStream} and the default read
 * options, in microseconds per dataset: a CT-like image (about 512 KB, dominated by pixel data)
 * and an SR-like document (about 10 KB of nested sequences).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DatasetParseBenchmark {

    @Param({"ct", "sr"})
    public String dataset;

    private byte[] bytes;

    @Setup
    public void generate() {
        bytes = dataset.equals("ct") ? Datasets.ctImage() : Datasets.srDocument();
        System.out.printf("%n    %s dataset: %d bytes%n", dataset, bytes.length);
    }

    @Benchmark
    public Attributes readDataset() throws IOException {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes))) {
            in.readFileMetaInformation();
            return in.readDataset(ReadOptions.defaults());
        }
    }
}
