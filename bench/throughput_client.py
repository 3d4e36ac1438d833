"""The servers and the load client of `throughput.py`: gunicorn as production runs it on a free
port, and a client of keep-alive connections (asyncio, raw HTTP/1.1, cheap enough to leave the
CPU to the servers)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time

from throughput_bare import PATH

# --- the servers --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn(app: str, port: int, env: dict) -> subprocess.Popen:
    """gunicorn as `infra/entrypoint.sh` runs it (workers, threads, timeout, access log)."""
    command = [sys.executable, "-m", "gunicorn", "--chdir", os.path.dirname(__file__)]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"]
    command += ["--timeout", "60", "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-"]
    return subprocess.Popen(
        [*command, app], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


# --- the client ---------------------------------------------------------------------------------


async def _get(reader, writer, request: bytes) -> tuple[int, dict, bytes]:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", 0)))
    return status, headers, body


def request_bytes(port: int, token: str) -> bytes:
    return (
        f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        "Accept: application/json\r\nConnection: keep-alive\r\n\r\n"
    ).encode()


def fetch_once(port: int, token: str) -> tuple[int, dict, bytes]:
    async def go():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            return await _get(reader, writer, request_bytes(port, token))
        finally:
            writer.close()

    return asyncio.run(go())


def load(port: int, token: str, clients: int, seconds: float) -> dict:
    """`clients` keep-alive connections, each sending the next request when its answer is in."""
    request = request_bytes(port, token)
    latencies: list[float] = []
    errors = 0

    async def client(stop_at: float):
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                status, headers, _ = await _get(reader, writer, request)
            except (asyncio.IncompleteReadError, ConnectionError):
                errors += 1  # gunicorn closed the keep-alive connection: open another
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            if status != 200:
                errors += 1
            latencies.append(time.perf_counter() - started)
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()

    async def run():
        stop_at = time.perf_counter() + seconds
        started = time.perf_counter()
        await asyncio.gather(*(client(stop_at) for _ in range(clients)))
        return time.perf_counter() - started

    elapsed = asyncio.run(run())
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2] * 1000,
        "p95": latencies[int(len(latencies) * 0.95)] * 1000,
        "n": len(latencies),
        "errors": errors,
    }


def wait_up(port: int, token: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            fetch_once(port, token)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing answers on port {port}")
