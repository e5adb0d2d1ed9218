"""Retrieve benchmark: C-GET of the CT study from Arca and from Orthanc, with dcmtk's getscu.

Each run starts the server on fresh, empty storage, stores the CT study over 4 storescu
associations (not timed), then times one getscu C-GET of the whole study at study level.
getscu writes what it receives as received (--bit-preserving) into a fresh directory, and the run
checks that it received every instance. Servers alternate within every repetition.
"""
import os
import shutil
import statistics
import subprocess
import tempfile
import time

import ingest

GET_TIMEOUT_SECONDS = 600


class OrthancForGet(ingest.Orthanc):
    """Orthanc that accepts C-GET requests from getscu's default calling AE title."""

    def modalities(self):
        return {"getscu": ["GETSCU", "127.0.0.1", 104]}


def study_instance_uid(path):
    import pydicom
    return str(pydicom.dcmread(path, stop_before_pixels=True).StudyInstanceUID)


def get_study(server, study_uid, into):
    """Runs one C-GET of the study into an empty directory; returns (seconds, files received)."""
    os.makedirs(into)
    command = ["getscu", "-S", "+B", "-aec", server.called_ae, "-k", "QueryRetrieveLevel=STUDY",
               "-k", f"StudyInstanceUID={study_uid}", "-od", into, "127.0.0.1", str(server.port)]
    started = time.monotonic()
    result = subprocess.run(command, env=ingest.ENVIRONMENT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            timeout=GET_TIMEOUT_SECONDS)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(f"getscu from {server.name} failed: {result.stderr.decode(errors='replace')[-500:]}")
    return seconds, len(os.listdir(into))


def await_idle(server, timeout_seconds=120):
    """Waits until Arca has written every staged blob to its own file, so the C-GET does not share the disk
    with that background work; Orthanc has no such work once its C-STORE responses are sent."""
    if server.name != "arca":
        return
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        status = subprocess.run(["java", "-jar", ingest.ARCA_JAR, "status", "--data", server.data],
                                capture_output=True, text=True).stdout
        if any(line.split()[:3] == ["Staged", "blobs", "0"] for line in status.splitlines()):
            return
        time.sleep(0.2)
    raise RuntimeError(f"Arca still had staged blobs {timeout_seconds} s after the store")


def measure(work, files, total_bytes, repetitions):
    """Returns {server name: [(MB/s, inst/s), ...]}."""
    study_uid = study_instance_uid(files[0])
    results = {}
    for repetition in range(repetitions):
        for server_class in (OrthancForGet, ingest.Arca):
            storage = tempfile.mkdtemp(prefix=f"get-{server_class.name}-", dir=work)
            server = server_class(storage)
            try:
                os.sync()
                server.start()
                ingest.send(server, files, 4)
                await_idle(server)
                os.sync()
                seconds, received = get_study(server, study_uid, os.path.join(storage, "retrieved"))
            finally:
                server.stop()
            if received != len(files):
                raise RuntimeError(f"C-GET from {server.name} returned {received} of {len(files)} instances")
            rate = (total_bytes / seconds / 1e6, len(files) / seconds)
            results.setdefault(server.name, []).append(rate)
            print(f"get {server.name} run {repetition + 1}: {seconds:.2f} s, {rate[0]:.1f} MB/s, "
                  f"{rate[1]:.0f} inst/s", flush=True)
            shutil.rmtree(storage, ignore_errors=True)
    return results


def table(results, repetitions):
    arca = statistics.median(rate for rate, _ in results["arca"])
    lines = ["| workload | server | MB/s median (min-max) | inst/s median | Arca / server |",
             "|---|---|---|---|---|"]
    for name, runs in results.items():
        megabytes = [rate for rate, _ in runs]
        median = statistics.median(megabytes)
        ratio = "-" if name == "arca" else f"{arca / median:.2f}"
        lines.append(f"| C-GET of the CT study | {name} | {median:.1f} ({min(megabytes):.1f}-{max(megabytes):.1f}) "
                     f"| {statistics.median(rate for _, rate in runs):.0f} | {ratio} |")
    lines.append("")
    lines.append(f"Medians of {repetitions} runs each; servers alternate within each repetition.")
    return "\n".join(lines)
