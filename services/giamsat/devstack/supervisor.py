"""Child processes of `giamsat dev`: start them, watch them, stop them in order, leave none behind."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

_PR_SET_PDEATHSIG = 1


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the kernel picks it; never assume 5432/6379/8333)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def die_with_parent(sig: int = signal.SIGTERM) -> Callable[[], None]:
    """A `preexec_fn` asking Linux to signal the child when its parent dies.

    The safety net for `kill -9` of `giamsat dev`: the orderly stop never gets to run then, but
    the servers still get a shutdown signal instead of running on forever.
    """

    def _set() -> None:
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        except (OSError, AttributeError):  # not Linux: the orderly stop is all we have
            pass

    return _set


def spawn(
    argv: Sequence[str],
    *,
    log: Path | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    death_signal: int = signal.SIGTERM,
    stdin=subprocess.DEVNULL,
    stdout=None,
    **popen_kwargs,
) -> subprocess.Popen:
    """Start a child in its own process group, so Ctrl-C in the terminal reaches only us and we
    can stop the children in a chosen order. Output goes to `log` (appended), else to `stdout`
    (default: our terminal)."""
    out = open(log, "ab") if log is not None else None
    try:
        return subprocess.Popen(
            list(argv),
            stdin=stdin,
            stdout=out or stdout,
            stderr=subprocess.STDOUT if out else None,
            env=env,
            cwd=cwd,
            process_group=0,
            preexec_fn=die_with_parent(death_signal),
            **popen_kwargs,
        )
    finally:
        if out is not None:
            out.close()  # the child holds its own copy


def stop_process(
    proc: subprocess.Popen,
    *,
    sig: int = signal.SIGTERM,
    timeout: float = 10.0,
    kill_after: float = 5.0,
) -> int | None:
    """Ask `proc` to stop with `sig`; after `timeout` s kill it and whatever it started.

    Descendants are collected first because once the parent is gone they are re-parented and
    can no longer be found from it (an RQ work horse, a PostgreSQL backend). Orphans of a child
    that already died are found by its process group (spawn gives each child its own).
    """
    descendants = _descendants(proc.pid) + _group_members(proc.pid)
    if proc.poll() is None:
        try:
            proc.send_signal(sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid)
            proc.kill()
            proc.wait(kill_after)
    _reap(descendants, kill_after)
    return proc.returncode


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _group_members(pgid: int) -> list[psutil.Process]:
    members = []
    for p in psutil.process_iter():
        try:
            if p.pid != pgid and os.getpgid(p.pid) == pgid:
                members.append(p)
        except (ProcessLookupError, psutil.Error):
            pass
    return members


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _reap(processes: list[psutil.Process], timeout: float) -> None:
    """Give leftovers a moment to follow their parent out, then kill them."""
    alive = [p for p in processes if _is_alive(p)]
    for p in alive:  # a polite request first: they may have files to close
        try:
            p.terminate()
        except psutil.Error:
            pass
    deadline = time.monotonic() + timeout
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if _is_alive(p)]
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass


def _is_alive(p: psutil.Process) -> bool:
    # A zombie has finished; reaping it is its new parent's job, not ours.
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


class ChildDied(RuntimeError):
    """A supervised child exited while it should have been running."""

    def __init__(self, name: str, returncode: int | None):
        super().__init__(f"{name} exited with code {returncode}")
        self.name = name
        self.returncode = returncode


class StopRequested(Exception):
    """SIGINT/SIGTERM arrived while we were still starting up."""


@dataclass
class Child:
    name: str
    proc: subprocess.Popen
    #: Signal that asks this child for a clean stop, and how long it may take.
    stop_signal: int = signal.SIGTERM
    stop_timeout: float = 10.0


@dataclass
class Supervisor:
    """Long-running children (web, worker, scheduler) and one-shot steps, under one signal handler.

    Use as a context manager: on exit, whatever happened, every child is stopped in start order,
    then every server registered with `on_stop` in reverse order (the last started stops first).
    """

    say: Callable[[str], None] = print
    children: list[Child] = field(default_factory=list)
    stop_event: threading.Event = field(default_factory=threading.Event)
    poll_interval: float = 0.3
    servers: list[tuple[str, Callable[[], None]]] = field(default_factory=list)
    stop_failed: bool = False
    _old_handlers: dict[int, object] = field(default_factory=dict)

    def __enter__(self) -> Supervisor:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._old_handlers[sig] = signal.signal(sig, self._on_signal)
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.stop_all()
        except RuntimeError as error:
            self.stop_failed = True
            self.say(f"LỖI: {error}")
        finally:
            for sig, handler in self._old_handlers.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum: int, frame) -> None:
        # Only set a flag: the main loop does the stopping, in order, outside the handler.
        self.stop_event.set()

    @property
    def stopping(self) -> bool:
        return self.stop_event.is_set()

    def check(self) -> None:
        """Raise StopRequested if a stop signal came (call between start-up steps)."""
        if self.stopping:
            raise StopRequested()

    def on_stop(self, name: str, stop: Callable[[], None]) -> None:
        """Register a server (PostgreSQL, Redis, S3) to stop after every child is gone."""
        self.servers.append((name, stop))

    def start(
        self,
        name: str,
        argv: Sequence[str],
        *,
        stop_signal: int = signal.SIGTERM,
        stop_timeout: float = 10.0,
        **spawn_kwargs,
    ) -> Child:
        self.check()
        child = Child(name, spawn(argv, **spawn_kwargs), stop_signal, stop_timeout)
        self.children.append(child)
        return child

    def run_step(
        self,
        name: str,
        argv: Sequence[str],
        *,
        timeout: float = 600.0,
        input: bytes | None = None,
        **spawn_kwargs,
    ) -> None:
        """Run a one-shot command to the end; raise ChildDied on failure, StopRequested on a signal."""
        self.check()
        if input is not None:
            spawn_kwargs["stdin"] = subprocess.PIPE
        proc = spawn(argv, **spawn_kwargs)
        try:
            if input is not None:
                proc.stdin.write(input)
                proc.stdin.close()
            deadline = time.monotonic() + timeout
            while proc.poll() is None:
                if self.stopping or time.monotonic() > deadline:
                    stop_process(proc, timeout=5)
                    if self.stopping:
                        raise StopRequested()
                    raise ChildDied(f"{name} (quá {timeout:.0f} giây)", None)
                self.stop_event.wait(self.poll_interval)
        finally:
            if proc.poll() is None:
                stop_process(proc, timeout=5)
        if proc.returncode != 0:
            raise ChildDied(name, proc.returncode)

    def wait(self) -> None:
        """Block until a stop signal (return) or until a child exits on its own (ChildDied)."""
        while not self.stopping:
            for child in self.children:
                code = child.proc.poll()
                if code is not None:
                    raise ChildDied(child.name, code)
            self.stop_event.wait(self.poll_interval)

    def stop_all(self) -> None:
        """Children in start order (each with its own signal and bound), then servers in reverse.

        A failure to stop one never keeps the others running.
        """
        errors = []
        while self.children:
            child = self.children.pop(0)
            if child.proc.poll() is None:
                self.say(f"Đang dừng {child.name}…")
            try:
                stop_process(child.proc, sig=child.stop_signal, timeout=child.stop_timeout)
            except Exception as exc:  # noqa: BLE001 - keep stopping the rest
                errors.append(f"{child.name}: {exc}")
        while self.servers:
            name, stop = self.servers.pop()
            self.say(f"Đang dừng {name}…")
            try:
                stop()
            except Exception as exc:  # noqa: BLE001
                errors.append(f"{name}: {exc}")
        if errors:
            raise RuntimeError("không dừng hẳn được: " + "; ".join(errors))
