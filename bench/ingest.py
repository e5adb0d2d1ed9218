#!/usr/bin/python3
"""Ingest benchmark: Arca against dcmtk's storescp and Orthanc, in the same run.

Each workload (CT, MG, SR) is sent with dcmtk's storescu over 1 and over 4
associations to each server in turn; the servers take turns within every
repetition (A B C D, A B C D, ...) so that none profits from a warmer disk.
Every run gets fresh, empty storage, and checks that the server received as many
instances as were sent. Results are medians with min and max, and ratios of Arca
against each peer.

Servers (all on 127.0.0.1, with TCP_NODELAY=1 for dcmtk's network code):
  storescp      dcmtk storescp --fork, writes files without fsync, re-encodes them
  storescp-bp   the same with --bit-preserving (bytes kept as received)
  orthanc       Orthanc with SyncStorageArea true (its durable setting)
  arca          ./arca serve on its defaults (durable: fsync and journal before Success)

Further workloads, each in its own module: get (C-GET of the CT study from Arca and Orthanc,
bench/retrieve.py), find (C-FIND latency with 100,000 studies in Arca's index, bench/find.py) and
memory (one 1 GiB instance into Arca with -Xmx256m, bench/memory.py).

Usage: bench/ingest.py [--repetitions N] [--smoke] [--workloads ct,mg,sr,get,find,memory] [--out FILE]
       [--work DIR]
"""
import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(REPOSITORY, "tools", "testdata", "generate.py")
ARCA_JAR = os.path.join(REPOSITORY, "arca-cli", "target", "arca.jar")
ARCA_LAUNCHER = os.path.join(REPOSITORY, "arca")
START_TIMEOUT_SECONDS = 60
SEND_TIMEOUT_SECONDS = 900
ENVIRONMENT = dict(os.environ, TCP_NODELAY="1")


LOWEST_PORT = 10000


def ephemeral_start():
    """Return the kernel's first ephemeral port, or Linux's default when it cannot be read."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as range_file:
            start = int(range_file.read().split()[0])
        return start if start > LOWEST_PORT + 1000 else 32768
    except (OSError, ValueError, IndexError):
        return 32768


PORT_END = ephemeral_start()
next_port = LOWEST_PORT + random.randrange(PORT_END - LOWEST_PORT)


def free_port():
    """Return a port that is free now, from below the ephemeral range.

    A port from bind(0) lies in the range that every outgoing connection draws from, so another
    connection can take it before the server binds it. Below that range only a listener that names
    its port can. Each run starts at a random point and never hands out the same port twice.
    """
    global next_port
    for _ in range(PORT_END - LOWEST_PORT):
        candidate = next_port
        next_port = next_port + 1 if next_port + 1 < PORT_END else LOWEST_PORT
        with socket.socket() as probe:
            try:
                probe.bind(("0.0.0.0", candidate))
                return candidate
            except OSError:
                continue
    raise RuntimeError(f"no free TCP port between {LOWEST_PORT} and {PORT_END - 1}")


def run(command, **kwargs):
    return subprocess.run(command, env=ENVIRONMENT, check=True, **kwargs)


def wait_until(condition, what, timeout_seconds=START_TIMEOUT_SECONDS):
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not become ready within {timeout_seconds} s")


def echo_succeeds(port, called_ae):
    result = subprocess.run(["echoscu", "-aec", called_ae, "127.0.0.1", str(port)], env=ENVIRONMENT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return result.returncode == 0


def http_json(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return None


class Server:
    """A server under test with its own storage directory; subclasses define how to start and count."""

    name = ""
    called_ae = ""

    def __init__(self, storage):
        self.storage = storage
        self.port = free_port()
        self.process = None
        self.log = open(os.path.join(storage, "server.log"), "w")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Storescp(Server):
    name = "storescp"
    called_ae = "STORESCP"
    options = []

    def start(self):
        received = os.path.join(self.storage, "received")
        os.makedirs(received)
        self.process = subprocess.Popen(["storescp", "--fork", "-aet", self.called_ae, "-od", received]
                                        + self.options + [str(self.port)], env=ENVIRONMENT, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        wait_until(lambda: echo_succeeds(self.port, self.called_ae), self.name)

    def count(self):
        return sum(len(files) for _, _, files in os.walk(os.path.join(self.storage, "received")))


class StorescpBitPreserving(Storescp):
    name = "storescp-bp"
    options = ["--bit-preserving"]


class Orthanc(Server):
    name = "orthanc"
    called_ae = "ORTHANC"

    def start(self):
        self.http_port = free_port()
        config = {
            "Name": "bench", "StorageDirectory": os.path.join(self.storage, "storage"),
            "IndexDirectory": os.path.join(self.storage, "index"), "DicomAet": self.called_ae,
            "DicomPort": self.port, "HttpPort": self.http_port, "RemoteAccessAllowed": False,
            "HttpServerEnabled": True, "AuthenticationEnabled": False, "SyncStorageArea": True,
            "StorageCompression": False, "DicomCheckCalledAet": False, "Plugins": [],
            "DicomModalities": self.modalities(), "ConcurrentJobs": 2,
        }
        config_file = os.path.join(self.storage, "orthanc.json")
        with open(config_file, "w") as out:
            json.dump(config, out)
        self.process = subprocess.Popen(["Orthanc", config_file], env=ENVIRONMENT, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        wait_until(lambda: http_json(f"http://127.0.0.1:{self.http_port}/system") is not None, self.name)

    def modalities(self):
        return {}

    def count(self):
        return http_json(f"http://127.0.0.1:{self.http_port}/statistics")["CountInstances"]


class Arca(Server):
    name = "arca"
    called_ae = "ARCA"
    java_options = []
    start_timeout_seconds = START_TIMEOUT_SECONDS

    def start(self):
        self.http_port = free_port()
        self.data = getattr(self, "data", None) or os.path.join(self.storage, "arca-data")
        # The README's launcher runs the jar with Arca's default JVM options. It execs java, so the
        # process is the JVM itself, whose peak resident size memory.py reads.
        command = [ARCA_LAUNCHER, "serve", "--data", self.data, "--bind", "127.0.0.1", "--dicom-port",
                   str(self.port), "--http-port", str(self.http_port)]
        java_options = " ".join([ENVIRONMENT.get("ARCA_JAVA_OPTS", "")] + self.java_options).strip()
        environment = dict(ENVIRONMENT, ARCA_JAVA_OPTS=java_options)
        self.process = subprocess.Popen(command, env=environment, stdout=self.log, stderr=subprocess.STDOUT)
        wait_until(lambda: http_json(f"http://127.0.0.1:{self.http_port}/health") is not None, self.name,
                   self.start_timeout_seconds)

    def count(self):
        self.stop()
        listing = subprocess.run(["java", "-jar", ARCA_JAR, "list", "--data", self.data, "--json"],
                                 capture_output=True, text=True, check=True).stdout
        patients = json.loads(listing[listing.index("{"):])["patients"]
        return sum(len(series["instances"]) for patient in patients for study in patient["studies"]
                   for series in study["series"])


SERVERS = [Storescp, StorescpBitPreserving, Orthanc, Arca]


def split_round_robin(files, parts):
    return [files[index::parts] for index in range(parts)]


def send(server, files, associations):
    """Sends the files over the given number of parallel storescu associations; returns seconds."""
    started = time.monotonic()
    senders = []
    for part in split_round_robin(files, associations):
        if part:
            command = ["storescu", "-aec", server.called_ae, "127.0.0.1", str(server.port)] + part
            senders.append(subprocess.Popen(command, env=ENVIRONMENT, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.PIPE))
    failures = []
    for sender in senders:
        _, errors = sender.communicate(timeout=SEND_TIMEOUT_SECONDS)
        if sender.returncode != 0:
            failures.append(errors.decode(errors="replace")[-500:])
    elapsed = time.monotonic() - started
    if failures:
        raise RuntimeError(f"storescu to {server.name} failed: {failures[0]}")
    return elapsed


def generate(work, smoke, selected):
    data = os.path.join(work, "data")
    if os.path.isdir(data):
        shutil.rmtree(data)
    sizes = {"ct": 10, "mg_megabytes": 5, "mg_count": 2, "sr": 50} if smoke else \
        {"ct": 300, "mg_megabytes": 60, "mg_count": 4, "sr": 2000}
    run([GENERATOR, "ct", "--slices", str(sizes["ct"]), "--out", os.path.join(data, "ct")],
        stdout=subprocess.DEVNULL)
    for index in range(sizes["mg_count"]):
        # Each seed gets its own directory, because the generator names its one file the same way.
        run([GENERATOR, "big", "--megabytes", str(sizes["mg_megabytes"]), "--seed", str(index + 1),
             "--out", os.path.join(data, "mg", str(index + 1))], stdout=subprocess.DEVNULL)
    run([GENERATOR, "sr", "--count", str(sizes["sr"]), "--out", os.path.join(data, "sr")],
        stdout=subprocess.DEVNULL)
    workloads = {}
    for name in selected:
        files = sorted(os.path.join(directory, file) for directory, _, names in os.walk(os.path.join(data, name))
                       for file in names)
        workloads[name] = (files, sum(os.path.getsize(file) for file in files))
    return workloads


def measure(work, workloads, repetitions):
    results = {}
    for name, (files, total_bytes) in workloads.items():
        for associations in (1, 4):
            for repetition in range(repetitions):
                for server_class in SERVERS:
                    storage = tempfile.mkdtemp(prefix=f"{server_class.name}-", dir=work)
                    server = server_class(storage)
                    # Flush what earlier runs left dirty (storescp does not fsync), so that no run pays
                    # for another's writeback.
                    os.sync()
                    try:
                        server.start()
                        seconds = send(server, files, associations)
                        received = server.count()
                    finally:
                        server.stop()
                    if received != len(files):
                        raise RuntimeError(f"{server.name} received {received} of {len(files)} {name} instances")
                    results.setdefault((name, associations, server.name), []).append(
                        (total_bytes / seconds / 1e6, len(files) / seconds))
                    print(f"{name} x{associations} {server.name} run {repetition + 1}: {seconds:.2f} s, "
                          f"{total_bytes / seconds / 1e6:.1f} MB/s, {len(files) / seconds:.0f} inst/s", flush=True)
                    shutil.rmtree(storage, ignore_errors=True)
    return results


def table(results, workloads, repetitions):
    lines = ["| workload | assoc. | server | MB/s median (min-max) | inst/s median | Arca / server |",
             "|---|---|---|---|---|---|"]
    for name in workloads:
        for associations in (1, 4):
            arca = statistics.median(rate for rate, _ in results[(name, associations, "arca")])
            for server_class in SERVERS:
                runs = results[(name, associations, server_class.name)]
                megabytes = [rate for rate, _ in runs]
                instances = [rate for _, rate in runs]
                median = statistics.median(megabytes)
                ratio = "-" if server_class is Arca else f"{arca / median:.2f}"
                lines.append(f"| {name} | {associations} | {server_class.name} | {median:.1f} "
                             f"({min(megabytes):.1f}-{max(megabytes):.1f}) | {statistics.median(instances):.0f} "
                             f"| {ratio} |")
    lines.append("")
    lines.append(f"Medians of {repetitions} runs each; servers interleaved within each repetition.")
    return "\n".join(lines)


INGEST_WORKLOADS = ["ct", "mg", "sr"]
OTHER_WORKLOADS = ["get", "find", "memory"]


def other_sections(work, smoke, selected, workloads, repetitions):
    """Runs the retrieve, C-FIND and memory workloads that are selected; returns their tables."""
    import find
    import memory
    import retrieve
    sections = []
    if "get" in selected:
        files, total_bytes = workloads["ct"]
        sections.append(retrieve.table(retrieve.measure(work, files, total_bytes, repetitions), repetitions))
    if "find" in selected:
        studies, queries = (400, 100) if smoke else (100_000, 2000)
        sections.append(find.table(find.measure(work, studies, queries)))
    if "memory" in selected:
        sections.append(memory.table(memory.measure(work, 0.05 if smoke else 1)))
    return sections


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repetitions", type=int, default=3, help="runs per server and workload (default 3)")
    parser.add_argument("--smoke", action="store_true", help="a few small instances per workload, one run")
    parser.add_argument("--out", help="write the results table (Markdown) to this file")
    parser.add_argument("--work", help="working directory for data and storage (default: a new temporary one)")
    parser.add_argument("--workloads", default=",".join(INGEST_WORKLOADS + OTHER_WORKLOADS),
                        help="comma-separated subset of ct,mg,sr,get,find,memory (default: all)")
    args = parser.parse_args()
    repetitions = 1 if args.smoke else args.repetitions
    work = args.work or tempfile.mkdtemp(prefix="arca-bench-")
    os.makedirs(work, exist_ok=True)
    if not os.path.isfile(ARCA_JAR):
        raise SystemExit(f"{ARCA_JAR} is missing; run ./arca --version (or mvn -DskipTests package) first")
    selected = args.workloads.split(",")
    unknown = set(selected) - set(INGEST_WORKLOADS + OTHER_WORKLOADS)
    if unknown:
        raise SystemExit(f"unknown workloads {sorted(unknown)}; choose from {INGEST_WORKLOADS + OTHER_WORKLOADS}")
    ingest_selected = [name for name in INGEST_WORKLOADS if name in selected or (name == "ct" and "get" in selected)]
    workloads = generate(work, args.smoke, ingest_selected)
    sections = []
    timed = {name: workloads[name] for name in INGEST_WORKLOADS if name in selected}
    if timed:
        sections.append(table(measure(work, timed, repetitions), timed, repetitions))
    sections += other_sections(work, args.smoke, selected, workloads, repetitions)
    report = "\n\n".join(sections)
    print(report)
    if args.out:
        with open(args.out, "w") as out:
            out.write(report + "\n")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
