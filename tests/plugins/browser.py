"""Real-browser tests: the system Chromium driven through Playwright, against the test's app
served on loopback (`live_server`)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(os.environ.get("GIAMSAT_SCREENSHOT_DIR", "/tmp"))
#: How long a page may take to finish loading an image before the test fails (ms).
IMAGE_TIMEOUT = 15_000


#: Held while the live server answers a request. The server shares the test's isolated
#: database connection: a test that uses it while a page is open (a page that polls, e.g. for
#: OCR) takes this lock, so the connection is never used by two threads at once.
SERVING = threading.Lock()


def _buffered(app):
    """Each response read whole and closed before it is sent, under `SERVING`: werkzeug's test
    server skips the close when the browser drops a connection mid-response (a navigation
    away), which left static files open (a ResourceWarning, failing the test at random)."""

    def wsgi(environ, start_response):
        with SERVING:
            body = app(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                if hasattr(body, "close"):
                    body.close()

    return wsgi


@pytest.fixture()
def live_server(app):
    """The app on 127.0.0.1, one request at a time in one thread: the test's isolated database
    connections may be used from another thread, but never by two at once."""
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def wait_for_image(locator, timeout: float = IMAGE_TIMEOUT) -> None:
    """Wait until the `<img>` at `locator` has loaded and decoded: its natural size is 0 until
    then, so measuring it straight after navigation is a race."""
    locator.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0",
        arg=locator.element_handle(timeout=timeout),
        timeout=timeout,
    )
