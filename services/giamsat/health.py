"""Liveness (`/healthz`) and readiness (`/readyz`) endpoints for load balancers and Kubernetes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import redis
from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text

from giamsat.core.storage import StorageError, check_storage
from giamsat.jobs.runtime import current_runtime

log = logging.getLogger(__name__)

#: Seconds each dependency gets to answer; the probe as a whole stays under ~3 s.
CHECK_TIMEOUT = 2.0


def check_postgresql(app: Flask) -> None:
    # A fresh pooled connection on the engine, outside any request transaction.
    with app.app_context():  # the probe runs in a worker thread
        engine = current_runtime().database.engine
    with engine.connect() as conn:
        conn.execute(text("SET LOCAL statement_timeout = 2000"))
        conn.execute(text("SELECT 1"))


def check_redis(app: Flask) -> None:
    client = redis.Redis.from_url(
        app.config["GIAMSAT"].redis_url,
        socket_connect_timeout=CHECK_TIMEOUT / 2,
        socket_timeout=CHECK_TIMEOUT / 2,
    )
    try:
        client.ping()
    finally:
        client.close()


def check_s3(app: Flask) -> None:
    check_storage(app.config["GIAMSAT"], timeout=CHECK_TIMEOUT)


CHECKS: dict[str, Callable[[Flask], None]] = {
    "postgresql": check_postgresql,
    "redis": check_redis,
    "s3": check_s3,
}


def _describe(error: BaseException) -> str:
    # Only the error class (and an S3 error code): messages may carry URLs or user names.
    if isinstance(error, StorageError) and error.code:
        return f"error: {type(error).__name__} ({error.code})"
    return f"error: {type(error).__name__}"


def run_checks(app: Flask) -> dict[str, str]:
    """Every check at once, each bounded in time; a hung dependency reports "timeout"."""
    pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="readyz")
    try:
        futures = {name: pool.submit(check, app) for name, check in CHECKS.items()}
        results = {}
        for name, future in futures.items():
            try:
                future.result(timeout=CHECK_TIMEOUT + 1)
                results[name] = "ok"
            except FutureTimeout:
                results[name] = "error: timeout"
                log.warning("readiness check %s timed out", name)
            except Exception as error:  # noqa: BLE001 — any failure means "not ready"
                results[name] = _describe(error)
                log.warning("readiness check %s failed: %r", name, error)
        return results
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def blueprint() -> Blueprint:
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    def healthz():
        """The process serves requests; touches nothing else (liveness)."""
        response = jsonify(status="ok")
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.get("/readyz")
    def readyz():
        """PostgreSQL, Redis and S3 all answer (readiness); 503 names the ones that do not."""
        checks = run_checks(current_app._get_current_object())
        failed = [name for name, result in checks.items() if result != "ok"]
        if failed:
            response = jsonify(status="unavailable", checks=checks, failed=failed)
            response.status_code = 503
        else:
            response = jsonify(status="ready", checks=checks)
        response.headers["Cache-Control"] = "no-store"
        return response

    return bp


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint())
