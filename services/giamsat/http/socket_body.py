"""A big request body read from gunicorn's socket straight into the parser's buffer.

Gunicorn's `wsgi.input` passes every block through its read-ahead buffers (a BytesIO write,
`getvalue`, two slices in the unreader, the same again in `Body`, then werkzeug's copy into
its own buffer): about seven copies of each byte before the multipart parser sees it, most of
the ~0.17 CPU s a web worker spent receiving a 50 MB scan (bench/README.md). `SocketBody`
gives werkzeug's `LimitedStream` a `readinto` that fills the parser's buffer with
`recv_into`, so the bytes land once, where they are parsed.

It takes over only a body of known length on gunicorn (`Content-Length`, not chunked), and
first hands out what gunicorn had already read ahead. Gunicorn's own count of the body's
unread rest is kept true after every read: a request that stops reading early (a refusal, a
413) is drained by gunicorn as before, and the next request on a kept-alive connection starts
where it should. Any other server (the dev server, the test client) keeps its `wsgi.input`.
"""

from __future__ import annotations

import io

try:  # the server the image runs; any other keeps its own `wsgi.input`
    from gunicorn.http.body import Body, LengthReader
except ImportError:  # pragma: no cover - gunicorn is a dependency
    Body = LengthReader = None

#: Smaller bodies are not worth the takeover: gunicorn reads them in one or two recv()s.
MIN_BODY = 1024 * 1024


def _gunicorn_length_body(environ: dict):
    """(socket, gunicorn's Body) when the body can be read from the socket, else None."""
    sock = environ.get("gunicorn.socket")
    body = environ.get("wsgi.input")
    if sock is None or Body is None or not isinstance(body, Body):
        return None
    reader = body.reader
    if not isinstance(reader, LengthReader):
        return None
    unreader = getattr(reader, "unreader", None)
    # gunicorn's internals as this module reads them (a release that changes them is left be).
    if not (
        isinstance(getattr(body, "buf", None), io.BytesIO)
        and isinstance(getattr(reader, "length", None), int)
        and isinstance(getattr(unreader, "buf", None), io.BytesIO)
        and hasattr(unreader, "unread")
    ):
        return None
    return sock, body


def adopt_socket_body(environ: dict) -> None:
    """Replace gunicorn's `wsgi.input` with a `SocketBody` for a big body of known length
    (anything else is left as it is). Call before anything reads the body."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if length < MIN_BODY or environ.get("HTTP_TRANSFER_ENCODING"):
        return
    found = _gunicorn_length_body(environ)
    if found is not None:
        environ["wsgi.input"] = SocketBody(*found)


class SocketBody(io.RawIOBase):
    """The rest of gunicorn's `Body` (`body`): its read-ahead first, then the socket."""

    def __init__(self, sock, body):
        super().__init__()
        self._sock = sock
        self._body = body
        self._reader = body.reader
        # Bytes gunicorn already took from the socket for this body: those `Body` holds
        # (already off the reader's count), then those its unreader holds (still on it).
        held = body.buf.getvalue()
        body.buf = io.BytesIO()
        unreader = self._reader.unreader
        ahead = unreader.buf.getvalue()
        unreader.buf = io.BytesIO()
        mine = ahead[: self._reader.length]
        if len(ahead) > len(mine):  # a pipelined next request: gunicorn's, not ours
            unreader.unread(ahead[len(mine) :])
        self._reader.length -= len(mine)
        self._ahead = memoryview(held + mine)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        view = memoryview(buffer).cast("B")
        if self._ahead:
            count = min(len(view), len(self._ahead))
            view[:count] = self._ahead[:count]
            self._ahead = self._ahead[count:]
            return count
        want = min(len(view), self._reader.length)
        got = 0
        try:
            while got < want:
                count = self._sock.recv_into(view[got:want])
                if not count:  # the client went away: a short read, as gunicorn's
                    break
                got += count
                self._reader.length -= count
        except BaseException:
            # Where the next request starts is unknown now: gunicorn must not reuse it.
            self._body.failed = True
            raise
        return got
