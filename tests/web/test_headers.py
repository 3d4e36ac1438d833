"""Security headers on every kind of response: pages, API JSON, the API docs, errors, static
files and downloads; HSTS outside development."""

from __future__ import annotations

from dataclasses import replace

import pytest

from giamsat.core.config import Settings

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _responses(client, api_token, world):
    token = {"Authorization": f"Bearer {api_token('alpha', 'admin')}"}
    yield "page", client.get("/t/alpha/login")
    yield "page 404", client.get("/t/alpha/no-such-page")
    yield "page 400", client.get("/t/alpha/login?next=%00")
    yield "static", client.get("/static/api-docs.js")
    yield "api json", client.get("/api/v1/t/alpha/me", headers=token)
    yield "api 401", client.get("/api/v1/t/alpha/me")
    yield "api 404", client.get("/api/v1/t/alpha/units/99999999999", headers=token)
    yield "api 422", client.get("/api/v1/t/alpha/units?q=%00", headers=token)
    yield "openapi", client.get("/api/v1/openapi.json")
    yield "api docs", client.get("/api/v1/docs")
    yield "docs asset", client.get("/api/v1/docs/static/swagger-ui.css")
    yield (
        "download",
        client.get("/api/v1/t/alpha/supervision/people/export", headers=token),
    )


@pytest.fixture()
def hsts_client(settings, db, keep_job_runtime):
    from giamsat.app import create_app

    app = create_app(settings=replace(settings, hsts_seconds=600), database=db)
    app.config.update(TESTING=True)
    return app.test_client()


def test_every_response_type_carries_the_security_headers(hsts_client, api_token, world):
    for kind, response in _responses(hsts_client, api_token, world):
        with response:
            assert response.status_code < 500, kind
            if kind in ("download", "static", "docs asset", "api docs", "openapi", "api json"):
                assert response.status_code == 200, kind
            for name, value in EXPECTED.items():
                assert response.headers.get(name) == value, (kind, name)
            csp = response.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in csp, kind
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp, kind
            assert response.headers["Strict-Transport-Security"] == (
                "max-age=600; includeSubDomains"
            ), kind


def test_unexpected_errors_carry_them_too(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/api/v1/boom")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_no_hsts_when_switched_off(client):
    assert "Strict-Transport-Security" not in client.get("/t/alpha/login").headers


def test_hsts_defaults_to_a_year_and_is_off_in_dev():
    assert Settings.from_env({}).hsts_seconds == 31536000
    assert Settings.from_env({"GIAMSAT_DEV": "1"}).hsts_seconds == 0
    dev_with = {"GIAMSAT_DEV": "1", "GIAMSAT_HSTS_SECONDS": "60"}
    assert Settings.from_env(dev_with).hsts_seconds == 60
    with pytest.raises(ValueError, match="HSTS"):
        Settings(hsts_seconds=-1).validate()
