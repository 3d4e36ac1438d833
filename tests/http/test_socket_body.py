"""A big body read from gunicorn's socket (`giamsat.http.socket_body`), through real gunicorn
workers: the bytes arrive whole, gunicorn's read-ahead is not lost, and a request that stops
reading early, or a client that sends less than it said, leaves the connection to gunicorn's
own rules (the next request on it is read from where it starts)."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import uuid

import pytest

from giamsat.http.socket_body import MIN_BODY

ECHO_APP = textwrap.dedent(
    """
    import hashlib
    import json
    from werkzeug.exceptions import HTTPException
    from giamsat.app import UploadRequest

    def app(environ, start_response):
        request = UploadRequest(environ)
        reader = type(environ["wsgi.input"]).__name__
        try:
            if request.args.get("raw"):  # a body read whole (JSON, a form), not parsed
                data = request.get_data()
                status = "200 OK"
                doc = {"reader": reader, "raw": [hashlib.sha256(data).hexdigest(), len(data)]}
            elif request.args.get("rest"):  # a refusal before the body's last bytes
                left = request.content_length - int(request.args["rest"])
                while left > 0:  # reads may be short
                    left -= len(request.stream.read(left))
                status, doc = "413 Request Entity Too Large", {"reader": reader}
            else:
                files = {
                    name: [upload.stream.sha256, upload.stream.size]
                    for name, upload in request.files.items()
                }
                status = "200 OK"
                doc = {"reader": reader, "form": request.form.to_dict(), "files": files}
        except HTTPException as error:
            status, doc = f"{error.code} Error", {"reader": reader}
        finally:
            request.close()
        body = json.dumps(doc).encode()
        start_response(status, [("Content-Type", "application/json"),
                                ("Content-Length", str(len(body)))])
        return [body]
    """
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module", params=["gthread", "sync"])
def server(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("echo")
    (folder / "echo_app.py").write_text(ECHO_APP)
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
               "--workers", "1", "--worker-class", request.param, "--threads", "2",
               "--chdir", str(folder), "echo_app:app"]  # fmt: skip
    log = folder / "gunicorn.log"
    with open(log, "wb") as sink:
        proc = subprocess.Popen(command, env=os.environ.copy(), stderr=sink)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        proc.wait()
        pytest.fail(f"gunicorn did not start: {log.read_text()[-2000:]}")
    yield port, request.param
    proc.terminate()
    proc.wait(timeout=30)


def _multipart(fields: dict[str, str], files: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    for name, data in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{name}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _post(connection, body: bytes, content_type: str, path: str = "/"):
    connection.request("POST", path, body=body, headers={"Content-Type": content_type})
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def test_a_big_body_arrives_whole_and_the_kept_alive_connection_goes_on(server):
    port, _worker = server
    scans = {"scan": os.urandom(3 * MIN_BODY + 12345), "second": os.urandom(MIN_BODY + 7)}
    body, content_type = _multipart({"title": "Thư góp ý"}, scans)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(3):  # the same connection where the worker keeps it alive
        status, doc = _post(connection, body, content_type)
        assert status == 200
        assert doc["reader"] == "SocketBody"
        assert doc["form"] == {"title": "Thư góp ý"}
        assert doc["files"] == {
            name: [hashlib.sha256(data).hexdigest(), len(data)] for name, data in scans.items()
        }
    small, small_type = _multipart({"title": "ngắn"}, {"scan": b"%PDF-1.4 small"})
    status, doc = _post(connection, small, small_type)
    assert (status, doc["reader"]) == (200, "Body")  # gunicorn's own reader below MIN_BODY
    assert doc["files"]["scan"] == [hashlib.sha256(b"%PDF-1.4 small").hexdigest(), 14]
    connection.close()


def test_a_big_body_read_whole_is_the_one_sent(server):
    port, _worker = server
    body = os.urandom(2 * MIN_BODY + 3)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, doc = _post(connection, body, "application/json", "/?raw=1")
    assert (status, doc["reader"]) == (200, "SocketBody")
    assert doc["raw"] == [hashlib.sha256(body).hexdigest(), len(body)]
    connection.close()


def test_a_request_that_stops_reading_leaves_the_rest_to_gunicorn(server):
    port, worker = server
    body, content_type = _multipart({}, {"scan": os.urandom(4 * MIN_BODY)})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        status, doc = _post(connection, body, content_type, "/?rest=10000")
    except (BrokenPipeError, ConnectionResetError):
        # The sync worker closes every connection after its answer, unread bytes or not
        # (gunicorn's rule): the client may still be sending them.
        assert worker == "sync"
        connection.close()
    else:
        assert (status, doc["reader"]) == (413, "SocketBody")
    # gthread drains the 10,000 bytes left (gunicorn drains up to 64 KiB) and reads the next
    # request on the same kept-alive connection from where it starts.
    status, doc = _post(connection, body, content_type)
    assert status == 200
    assert doc["files"]["scan"][1] == 4 * MIN_BODY
    connection.close()


def test_a_client_that_sends_less_than_it_said_does_not_break_the_worker(server):
    port, _worker = server
    body, content_type = _multipart({}, {"scan": os.urandom(2 * MIN_BODY)})
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        head = (
            f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        raw.sendall(head.encode() + body[: MIN_BODY + 100])
        raw.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    # werkzeug's parser stops at the end of what came: no file is handed to the view.
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["files"] == {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, doc = _post(connection, body, content_type)
    assert status == 200
    assert doc["files"]["scan"][1] == 2 * MIN_BODY
    connection.close()
