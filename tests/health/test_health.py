"""`/healthz` touches nothing; `/readyz` checks PostgreSQL, Redis and S3 and names failures."""

from __future__ import annotations

import dataclasses
import time

from tests.plugins.s3server import closed_port


def test_healthz_answers_without_touching_any_dependency(make_client, dead_database, s3_config):
    down_s3 = dataclasses.replace(s3_config, url=f"http://127.0.0.1:{closed_port()}")
    client = make_client(
        db=dead_database, s3=down_s3, redis_url=f"redis://127.0.0.1:{closed_port()}/0"
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ready_when_everything_answers(make_client):
    response = make_client().get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "status": "ready",
        "checks": {"postgresql": "ok", "redis": "ok", "s3": "ok"},
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_names_a_dead_redis_quickly(make_client):
    redis_url = f"redis://:hunter2@127.0.0.1:{closed_port()}/0"
    started = time.monotonic()
    response = make_client(redis_url=redis_url).get("/readyz")
    assert time.monotonic() - started < 5
    body = response.get_json()
    assert response.status_code == 503
    assert body["status"] == "unavailable" and body["failed"] == ["redis"]
    assert body["checks"]["redis"] == "error: ConnectionError"
    assert body["checks"]["postgresql"] == body["checks"]["s3"] == "ok"
    assert "hunter2" not in response.get_data(as_text=True)
    assert str(redis_url.rsplit(":", 1)[1]) not in response.get_data(as_text=True)


def test_readyz_names_an_unreachable_s3(make_client, s3_config):
    down = dataclasses.replace(s3_config, url=f"http://127.0.0.1:{closed_port()}")
    started = time.monotonic()
    response = make_client(s3=down).get("/readyz")
    assert time.monotonic() - started < 5
    body = response.get_json()
    assert response.status_code == 503
    assert body["failed"] == ["s3"]
    assert body["checks"]["s3"].startswith("error: StorageError (")
    assert body["checks"]["redis"] == "ok"


def test_readyz_reports_refused_s3_credentials_without_the_secret(make_client, s3_config):
    wrong = dataclasses.replace(s3_config, secret_key="wrong-secret-value")
    response = make_client(s3=wrong).get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["s3"] == "error: StorageError (SignatureDoesNotMatch)"
    text = response.get_data(as_text=True)
    assert "wrong-secret-value" not in text and s3_config.secret_key not in text


def test_readyz_names_a_dead_database(make_client, dead_database):
    response = make_client(db=dead_database).get("/readyz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["failed"] == ["postgresql"]
    assert body["checks"]["postgresql"] == "error: OperationalError"
