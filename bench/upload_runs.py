"""The timed part of `letters_upload.py`: uploads through one or two app servers and the raw put
of the same file, run by run, with the worker's CPU seconds and peak RSS growth; the table."""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

import psutil
import urllib3

HTTP = urllib3.PoolManager(timeout=urllib3.Timeout(connect=5, read=600), retries=False)


class PeakRss(threading.Thread):
    """Samples a process's RSS every 20 ms; `.peak` after `stop()`."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.start_rss = self.process.memory_info().rss
        self.peak = self.start_rss
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.02)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak - self.start_rss


def upload_cpu(process: psutil.Process) -> float:
    """User + system CPU seconds of the worker so far, its finished threads included."""
    times = process.cpu_times()
    return times.user + times.system


def measure(servers: dict, client, bucket: str, scan: Path, runs: int, s3_pid: int) -> dict:
    """Per run, each server in turn (label → (upload URL, auth, worker pid)) and the raw put:
    {label: {"s": [...], "cpu": [...], "rss": [...], "s3_cpu": [...]}} ("cpu" of the raw put:
    this process's, the SDK's). The multipart body is encoded once beforehand: the client's
    encoding is not the server's cost."""
    size = scan.stat().st_size
    body, content_type = urllib3.encode_multipart_formdata(
        {"files": (scan.name, scan.read_bytes(), "application/pdf")}
    )
    figures: dict = {
        label: {"s": [], "cpu": [], "rss": [], "s3_cpu": []} for label in [*servers, "raw"]
    }
    order = [*servers, "raw"]
    s3 = psutil.Process(s3_pid)
    for run in range(runs):
        # Each run starts one step further along: whatever follows an upload (the S3 server
        # still storing it, a busy neighbour) does not always fall on the same code.
        for label in order[run % len(order) :] + order[: run % len(order)]:
            s3_cpu = upload_cpu(s3)
            if label == "raw":
                me = psutil.Process()
                with open(scan, "rb") as handle:
                    cpu = upload_cpu(me)
                    started = time.monotonic()
                    client.put_object(
                        bucket,
                        f"raw/{scan.stem}-{run}",
                        handle,
                        size,
                        content_type="application/pdf",
                    )
                    figures["raw"]["s"].append(time.monotonic() - started)
                    figures["raw"]["cpu"].append(upload_cpu(me) - cpu)
                figures["raw"]["s3_cpu"].append(upload_cpu(s3) - s3_cpu)
                continue
            upload_url, auth, pid = servers[label]
            worker = psutil.Process(pid)
            sampler = PeakRss(pid)
            sampler.start()
            cpu = upload_cpu(worker)
            started = time.monotonic()
            response = HTTP.request(
                "POST", upload_url, headers=auth | {"Content-Type": content_type}, body=body
            )
            figures[label]["s"].append(time.monotonic() - started)
            figures[label]["cpu"].append(upload_cpu(worker) - cpu)
            figures[label]["rss"].append(sampler.stop())
            figures[label]["s3_cpu"].append(upload_cpu(s3) - s3_cpu)
            if response.status != 201:
                raise RuntimeError(f"upload: {response.status} {response.data[:300]!r}")
    return figures


def report(runs: int, results: dict) -> None:
    """The Markdown table: per scan and server, medians, ratio raw / app, CPU per upload."""
    print(
        f"| scan ({runs} runs each) | code | through the app (median) | raw minio put_object "
        "(median) | ratio raw / app: median of runs (min–max) | worker CPU s per upload "
        "(median) | S3 server CPU s, app / raw (medians) | worker peak RSS growth |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, (size, figures) in results.items():
        mb = size / 1024 / 1024
        raw = figures["raw"]["s"]
        raw_s = statistics.median(raw)
        raw_s3 = statistics.median(figures["raw"]["s3_cpu"])
        for code, got in figures.items():
            if code == "raw":
                continue
            app_s = statistics.median(got["s"])
            ratios = [r / a for a, r in zip(got["s"], raw, strict=True)]
            print(
                f"| {label}, {mb:.1f} MB | {code} | {app_s:.2f} s, {mb / app_s:.1f} MB/s | "
                f"{raw_s:.2f} s, {mb / raw_s:.1f} MB/s | **{statistics.median(ratios):.2f}** "
                f"({min(ratios):.2f}–{max(ratios):.2f}; runs "
                f"{', '.join(f'{r:.2f}' for r in ratios)}) | "
                f"{statistics.median(got['cpu']):.2f} | "
                f"{statistics.median(got['s3_cpu']):.2f} / {raw_s3:.2f} | "
                f"{max(got['rss']) / 1024 / 1024:.1f} MB |"
            )
    raw_cpu = [statistics.median(f["raw"]["cpu"]) for _, f in results.values()]
    print(
        f"\nThe raw put's own CPU (the SDK, this process): {', '.join(f'{c:.2f}' for c in raw_cpu)} s"
    )
