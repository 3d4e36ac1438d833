"""The supervisor: on SIGINT/SIGTERM every child stops, in order, then the servers; nothing remains."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from giamsat.devstack.supervisor import spawn, stop_process

SCRIPT = Path(__file__).with_name("supervised_stack.py")


def _launch(events: Path, *args: str) -> tuple[subprocess.Popen, list[int]]:
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), str(events), *args], stdout=subprocess.PIPE, text=True
    )
    pids = json.loads(proc.stdout.readline())["pids"]
    return proc, pids


def _running(pid: int) -> bool:
    # A zombie has exited; only its new parent (here PID 1) still has to collect its status.
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _assert_all_gone(pids: list[int]) -> None:
    deadline = time.monotonic() + 5
    while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in pids if _running(pid)]
    assert alive == [], f"still running: {alive}"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_children_in_order_then_servers_and_exits_0(tmp_path, sig):
    events = tmp_path / "events"
    proc, pids = _launch(events)
    assert all(psutil.pid_exists(pid) for pid in pids)
    proc.send_signal(sig)
    assert proc.wait(15) == 0
    proc.stdout.close()
    # Children get SIGTERM (their clean stop), one after the other, and the server goes last.
    assert events.read_text().splitlines() == [
        "web got SIGTERM",
        "worker got SIGTERM",
        "server stopped",
    ]
    _assert_all_gone(pids)  # the children and the grandchildren they left behind


def test_a_child_that_dies_stops_everything_and_exits_nonzero(tmp_path):
    events = tmp_path / "events"
    proc, pids = _launch(events, "--crash")
    assert proc.wait(15) == 1
    assert "worker died with 3" in proc.stdout.read()
    proc.stdout.close()
    assert events.read_text().splitlines() == ["web got SIGTERM", "server stopped"]
    _assert_all_gone(pids)


def test_a_child_ignoring_sigterm_is_killed_after_its_bound():
    stubborn = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('ready', flush=True); time.sleep(60)"
    )
    proc = spawn([sys.executable, "-c", stubborn], stdout=subprocess.PIPE)
    assert proc.stdout.readline() == b"ready\n"
    started = time.monotonic()
    code = stop_process(proc, timeout=0.5)
    proc.stdout.close()
    assert code == -signal.SIGKILL
    assert time.monotonic() - started < 5
    assert not psutil.pid_exists(proc.pid)
