"""Test session: a scratch database on the real PostgreSQL with two tenants, two communes each.

GIAMSAT_DATABASE_URL names the server (default the local one at 127.0.0.1:5432); the tests
create their own database on it and drop it afterwards. Each test runs inside transactions that
are rolled back (see `tests.plugins.database`).
"""

from __future__ import annotations

import base64
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from giamsat.core.config import Settings
from giamsat.domains import load_models
from giamsat.tenancy.roles import default_role_prefix, drop_roles_with_prefix

# Helpers in tests/plugins assert too; rewrite them like conftests so failures explain themselves.
pytest.register_assert_rewrite("tests.plugins")

from tests.plugins.database import IsolatedDatabase  # noqa: E402

#: Fixtures every folder may use: shared code lives in tests/plugins, never in another test module.
pytest_plugins = [
    "tests.plugins.world",
    "tests.plugins.pages",
    "tests.plugins.qr",
    "tests.plugins.s3server",
    "tests.plugins.jobs",
    "tests.plugins.api",
    "tests.plugins.browser",
    "tests.plugins.cases",
    "tests.plugins.private_postgres",
    "tests.plugins.signin",
    "tests.plugins.national",
]

DEFAULT_SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
MIGRATIONS = Settings().migrations_dir


@pytest.fixture(scope="session")
def database_url():
    server = make_url(os.environ.get("GIAMSAT_DATABASE_URL", DEFAULT_SERVER_URL))
    name = f"giamsat_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            # Tenant roles are cluster-wide: drop this run's (named after its database).
            drop_roles_with_prefix(conn, default_role_prefix(name))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url):
    from giamsat.tenancy.migrations import upgrade_shared

    load_models()
    engine = create_engine(database_url, pool_size=5, max_overflow=10)
    upgrade_shared(engine, MIGRATIONS)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def settings(database_url, s3_config) -> Settings:
    # Redis DB 9 and a per-run queue prefix: apps built in tests never clash with other runs.
    # The S3 server is the session's real one (SeaweedFS, or GIAMSAT_S3_URL's).
    return Settings(
        database_url=database_url,
        secret_key="test-secret",
        s3_url=s3_config.url,
        s3_access_key=s3_config.access_key,
        s3_secret_key=s3_config.secret_key,
        s3_region=s3_config.region,
        s3_bucket_prefix=s3_config.bucket_prefix,
        master_keys="test:" + base64.b64encode(os.urandom(32)).decode(),
        session_cookie_secure=False,
        hsts_seconds=0,
        migrations_dir=MIGRATIONS,
        redis_url=os.environ.get("GIAMSAT_TEST_REDIS_URL", "redis://127.0.0.1:6379/9"),
        queue_prefix=f"t{uuid.uuid4().hex[:8]}-",
    )


@pytest.fixture(scope="session")
def cli_env(settings) -> dict[str, str]:
    """Environment for running `giamsat` commands against the test servers."""
    return {
        "GIAMSAT_DATABASE_URL": settings.database_url,
        "GIAMSAT_REDIS_URL": settings.redis_url,
        "GIAMSAT_QUEUE_PREFIX": settings.queue_prefix,
        "GIAMSAT_S3_URL": settings.s3_url,
        "GIAMSAT_S3_ACCESS_KEY": settings.s3_access_key,
        "GIAMSAT_S3_SECRET_KEY": settings.s3_secret_key,
        "GIAMSAT_S3_BUCKET_PREFIX": settings.s3_bucket_prefix,
        "GIAMSAT_MASTER_KEYS": settings.master_keys,
    }


@pytest.fixture(scope="session")
def database(engine) -> IsolatedDatabase:
    return IsolatedDatabase(engine)


@pytest.fixture()
def db(database, world):
    """Every test's writes are rolled back at its end."""
    with database.isolated():
        yield database


@pytest.fixture()
def app(settings, db, keep_job_runtime):
    from giamsat.app import create_app

    # create_app installs a process-wide job runtime; `keep_job_runtime` puts the previous one
    # back afterwards.
    app = create_app(settings=settings, database=db)
    app.config.update(TESTING=True)
    return app


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def migrations_dir() -> Path:
    return MIGRATIONS
