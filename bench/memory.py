"""Memory benchmark: Arca ingests one large instance with a 256 MiB heap limit.

`arca serve` runs with -Xmx256m and a unified GC log; storescu sends one generated multi-frame
instance of about 1 GiB over one association. The run checks that the instance was stored. It
reports the peak resident set size of the server process (VmHWM from /proc), the peak Java heap in
use (the largest occupancy before a collection in the GC log) and the peak committed heap.
"""
import os
import re
import tempfile

import ingest

HEAP_LIMIT = "256m"
GC_LINE = re.compile(r"(\d+)M->(\d+)M\((\d+)M\)")


class ArcaWithSmallHeap(ingest.Arca):

    def start(self):
        self.gc_log = os.path.join(self.storage, "gc.log")
        self.java_options = [f"-Xmx{HEAP_LIMIT}", f"-Xlog:gc:file={self.gc_log}"]
        super().start()

    def peak_rss_megabytes(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("VmHWM missing from /proc status")

    def heap_megabytes(self):
        """Returns (peak used before a collection, peak committed), in MiB, from the GC log."""
        used, committed = 0, 0
        with open(self.gc_log) as log:
            for match in GC_LINE.finditer(log.read()):
                used = max(used, int(match.group(1)))
                committed = max(committed, int(match.group(3)))
        return used, committed


def generate(work, gigabytes):
    directory = os.path.join(work, "data", "large")
    ingest.run([ingest.GENERATOR, "large", "--gigabytes", str(gigabytes), "--out", directory],
               stdout=ingest.subprocess.DEVNULL)
    return [os.path.join(directory, name) for name in sorted(os.listdir(directory))]


def measure(work, gigabytes):
    files = generate(work, gigabytes)
    size = sum(os.path.getsize(path) for path in files)
    storage = tempfile.mkdtemp(prefix="memory-arca-", dir=work)
    server = ArcaWithSmallHeap(storage)
    try:
        server.start()
        seconds = ingest.send(server, files, 1)
        rss = server.peak_rss_megabytes()
        received = server.count()  # stops the server, which completes its GC log
    finally:
        server.stop()
    heap_used, heap_committed = server.heap_megabytes()
    if received != len(files):
        raise RuntimeError(f"arca stored {received} of {len(files)} large instances")
    result = dict(bytes=size, seconds=round(seconds, 2), megabytes_per_second=round(size / seconds / 1e6, 1),
                  peak_rss_mib=round(rss), peak_heap_used_mib=heap_used, peak_heap_committed_mib=heap_committed)
    print(f"memory: {result}", flush=True)
    for path in files:
        os.remove(path)
    return result


def table(result):
    return "\n".join([
        "| workload | heap limit | size | MB/s | peak RSS MiB | peak heap used MiB | peak heap committed MiB |",
        "|---|---|---|---|---|---|---|",
        f"| one large instance | {HEAP_LIMIT} | {result['bytes'] / 2**30:.2f} GiB | {result['megabytes_per_second']} "
        f"| {result['peak_rss_mib']} | {result['peak_heap_used_mib']} | {result['peak_heap_committed_mib']} |",
    ])
