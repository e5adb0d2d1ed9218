"""C-FIND latency benchmark: study level by Patient ID, with many studies in Arca's index.

The fill (org.arca.bench.FindIndexFill) appends one INSTANCE_STORED journal record per study
through the journal's own API from many threads, then reopens the data directory, which replays
the journal into the index as a node does at start. No blob is written: the directory serves
C-FIND only. Then `arca serve` runs on that directory, and org.arca.bench.FindLatency sends
study-level C-FINDs by random Patient ID over one association. It checks that each returns the
expected number of studies and reports p50, p95 and p99 of the time from request to final
response. Arca only: the peers have no comparable query path to fill this fast.
"""
import json
import os
import subprocess
import tempfile
import time

import ingest

BENCH_JAR = os.path.join(ingest.REPOSITORY, "arca-bench", "target", "arca-benchmarks.jar")
STUDIES_PER_PATIENT = 4
FILL_THREADS = 32
SEED = 20261204


class ArcaOnFilledIndex(ingest.Arca):
    # The index is filled before the start, so the start has nothing to replay; allow for a slow disk.
    start_timeout_seconds = 600


def measure(work, studies, queries):
    """Fills a fresh data directory and returns the latency summary (a dict) with fill times."""
    if not os.path.isfile(BENCH_JAR):
        raise SystemExit(f"{BENCH_JAR} is missing; run mvn -DskipTests package first")
    storage = tempfile.mkdtemp(prefix="find-arca-", dir=work)
    data = os.path.join(storage, "arca-data")
    patients = studies // STUDIES_PER_PATIENT
    started = time.monotonic()
    fill = subprocess.run(["java", "-cp", BENCH_JAR, "org.arca.bench.FindIndexFill", data, str(studies),
                           str(patients), str(FILL_THREADS)], capture_output=True, text=True, check=True)
    fill_seconds = time.monotonic() - started
    print(f"find: {fill.stdout.strip().splitlines()[-1]} ({fill_seconds:.0f} s in all)", flush=True)
    server = ArcaOnFilledIndex(storage)
    server.data = data
    try:
        server.start()
        latency = subprocess.run(["java", "-cp", BENCH_JAR, "org.arca.bench.FindLatency", "127.0.0.1",
                                  str(server.port), server.called_ae, str(patients), str(queries),
                                  str(STUDIES_PER_PATIENT), str(SEED)], capture_output=True, text=True)
    finally:
        server.stop()
    if latency.returncode != 0:
        raise RuntimeError(f"FindLatency failed: {latency.stderr[-800:]}")
    summary = json.loads(latency.stdout.strip().splitlines()[-1])
    summary.update(studies=studies, patients=patients, fill_seconds=round(fill_seconds, 1))
    print(f"find: {summary}", flush=True)
    return summary


def table(summary):
    return "\n".join([
        "| workload | studies | queries | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|",
        f"| C-FIND study level by Patient ID ({STUDIES_PER_PATIENT} matches each) | {summary['studies']} "
        f"| {summary['queries']} | {summary['p50_ms']:.2f} | {summary['p95_ms']:.2f} | {summary['p99_ms']:.2f} "
        f"| {summary['max_ms']:.2f} |",
    ])
