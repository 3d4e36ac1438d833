"""A private SeaweedFS per test: stopped mid-upload, restarted, checked for orphans."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time

import pytest

from giamsat.core.config import PROJECT_ROOT
from giamsat.core.storage import StorageError, ensure_bucket, new_key, storage_for
from giamsat.devstack import seaweed

MB = 1024 * 1024


@pytest.fixture()
def private_server(tmp_path):
    server = seaweed.start(tmp_path / "s3")
    yield server
    server.stop()


def _listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) with a LISTEN socket on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as fh:
            for line in fh.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:
                    found.add(address)
    return found


def test_server_is_loopback_only_on_free_ports_and_stops_cleanly(private_server):
    assert private_server.ports["s3"] != 8333
    assert len(set(private_server.ports.values())) == len(seaweed.COMPONENTS)
    for name, port in private_server.ports.items():
        for bound in (port, port + seaweed.GRPC_OFFSET):
            addresses = _listening_addresses(bound)
            assert addresses <= {"0100007F"}, (name, bound)  # 127.0.0.1, never 0.0.0.0
            if name != "admin":  # the admin server may still be starting
                assert addresses, (name, bound)
    command = private_server.process.args
    assert "-master.telemetry=false" in command
    assert {"-ip=127.0.0.1", "-ip.bind=127.0.0.1"} <= set(command)
    assert oct((private_server.data_dir / "s3.json").stat().st_mode & 0o777) == "0o600"

    private_server.stop()
    assert private_server.process.returncode is not None
    assert _listening_addresses(private_server.ports["s3"]) == set()


def test_temporary_data_folder_is_removed_at_stop():
    with seaweed.start() as server:
        folder = server.data_dir
        assert folder.is_dir()
    assert not folder.exists()
    assert server.process.poll() is not None


def test_outage_mid_upload_raises_and_leaves_no_object(private_server):
    config = private_server.s3_config()
    ensure_bucket(config, "outage")
    storage = storage_for("outage", config)
    key = new_key("letters")

    def chunks():
        for sent in range(0, 30 * MB, MB):
            if sent == 12 * MB:  # two 5 MiB parts are already on the server
                private_server.stop(keep_data=True)
            yield b"x" * MB

    started = time.monotonic()
    with pytest.raises(StorageError) as caught:
        storage.put(key, chunks())
    assert time.monotonic() - started < 60
    assert "kết nối" in caught.value.message

    # Same data folder (which remembers its ports): the server is back, the half-sent
    # object is not.
    restarted = seaweed.start(
        private_server.data_dir,
        access_key=private_server.access_key,
        secret_key=private_server.secret_key,
    )
    try:
        assert restarted.ports == private_server.ports
        assert not storage.exists(key)
        survivor = new_key("letters")
        storage.put(survivor, io.BytesIO(b"after"), 5)
        assert storage.exists(survivor)  # so `exists` above could have said True
    finally:
        restarted.stop()


ORPHAN_PROBE = """
import sys
from giamsat.devstack import seaweed
server = seaweed.start()
print(server.process.pid, server.data_dir, flush=True)
sys.stdin.read()
"""


def test_weed_dies_with_the_process_that_started_it():
    parent = subprocess.Popen(
        [sys.executable, "-c", ORPHAN_PROBE],
        cwd=PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        pid, folder = parent.stdout.readline().split()
        os.kill(parent.pid, signal.SIGKILL)  # no chance to clean up
        parent.wait()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _alive(int(pid)):
            time.sleep(0.2)
        assert not _alive(int(pid)), "weed outlived the process that started it"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        parent.stdin.close()
        parent.stdout.close()
        subprocess.run(["rm", "-rf", folder], check=False)


def _alive(pid: int) -> bool:
    # A zombie (already exited, not yet reaped by init) counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
