"""Security headers on every response: pages, API JSON, the API docs, errors, files.

One after_request hook on the app, so no response type is forgotten. Nothing is loaded from
elsewhere and nothing runs inline (the CSP forbids inline scripts and styles); no page may be
framed; HTTPS is pinned by HSTS outside development (GIAMSAT_HSTS_SECONDS).
"""

from __future__ import annotations

from flask import Flask, Response

#: Pages and the API docs load only from this origin; no inline script or style.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)

FIXED_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def security_headers(hsts_seconds: int) -> dict[str, str]:
    headers = dict(FIXED_HEADERS)
    if hsts_seconds > 0:
        headers["Strict-Transport-Security"] = f"max-age={hsts_seconds}; includeSubDomains"
    return headers


def init_app(app: Flask) -> None:
    headers = security_headers(app.config["GIAMSAT"].hsts_seconds)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if response.status_code == 304 and response.direct_passthrough:
            # A "not modified" static file sends no body, so the server never reads (and never
            # closes) the file send_file opened: close it here instead of leaking it.
            response.close()
            response.response = []
        return response
