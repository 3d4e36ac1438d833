"""Scheduler and worker started before PostgreSQL or Redis answer: they wait, saying for what,
and start working once the server is up (real processes, real servers started late)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

from giamsat.core.config import PROJECT_ROOT
from giamsat.devstack.supervisor import free_port
from tests.plugins.jobs import REDIS_URL

CLI = "from giamsat.cli import main; main()"


class Lines:
    """A process's stderr, line by line, read in the background."""

    def __init__(self, proc: subprocess.Popen):
        self.seen: list[str] = []
        self._lines: queue.Queue[str] = queue.Queue()
        self._proc = proc
        self._reader = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._reader.start()

    def close(self) -> None:
        """Once the process ended: the reader reaches the end of the pipe, then it is closed."""
        self._reader.join(timeout=10)
        self._proc.stderr.close()

    def _read(self, proc):
        for line in proc.stderr:
            self._lines.put(line)

    def wait_for(self, words: str, timeout: float) -> float:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            try:
                line = self._lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.seen.append(line)
            if words in line:
                return time.monotonic() - start
        raise AssertionError(f"no line with {words!r} in {timeout} s:\n{''.join(self.seen)}")


def _start(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CLI, *args],
        env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), **env),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait(timeout=10)


def test_the_scheduler_waits_for_postgresql_and_outlives_its_outages(
    private_postgres, queue_prefix
):
    private_postgres.stop()
    env = {
        "GIAMSAT_DATABASE_URL": private_postgres.url,
        "GIAMSAT_REDIS_URL": REDIS_URL,
        "GIAMSAT_QUEUE_PREFIX": queue_prefix,
    }
    scheduler = _start(env, "scheduler", "--every", "0.5")
    try:
        lines = Lines(scheduler)
        lines.wait_for("waiting for PostgreSQL", 30)
        lines.wait_for("waiting for PostgreSQL", 10)  # still there, trying again
        assert scheduler.poll() is None, "the scheduler exited instead of waiting"
        private_postgres.start()
        lines.wait_for("scheduler started", 30)
        # Away again while it runs: passes are skipped with one line each, the loop goes on.
        private_postgres.stop()
        lines.wait_for("scheduler pass skipped", 30)
        private_postgres.start()
        time.sleep(2)
        assert scheduler.poll() is None, "the scheduler exited during the outage"
    finally:
        code = _stop(scheduler)
        lines.close()
        if private_postgres.server.proc is None:
            private_postgres.start()
    assert code == 0
    assert "Traceback" not in "".join(lines.seen)


def test_the_worker_waits_for_redis_then_listens(settings, live_db, queue_prefix):
    port = free_port()
    env = {
        "GIAMSAT_DATABASE_URL": settings.database_url,
        "GIAMSAT_REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "GIAMSAT_QUEUE_PREFIX": queue_prefix,
        "GIAMSAT_SECRET_KEY": "test-secret",
        "GIAMSAT_MASTER_KEYS": settings.master_keys,
        "GIAMSAT_S3_URL": settings.s3_url,
    }
    worker = _start(env, "worker", "default")
    redis = None
    try:
        lines = Lines(worker)
        lines.wait_for("waiting for Redis", 60)
        lines.wait_for("waiting for Redis", 10)
        assert worker.poll() is None, "the worker exited instead of waiting"
        redis = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        lines.wait_for("Listening on", 30)
    finally:
        _stop(worker)
        lines.close()
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
    assert "Traceback" not in "".join(lines.seen)
