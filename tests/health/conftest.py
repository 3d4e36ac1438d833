"""Health fixtures: an app wired to the test database, local Redis and the session's S3."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from giamsat.core.db import Database
from tests.plugins.s3server import closed_port, with_s3


@pytest.fixture()
def make_client(settings, database, s3_config, keep_job_runtime):
    """`make_client(**setting_changes, database=None)` — a test client of a fresh app."""
    from giamsat import health
    from giamsat.app import create_app

    def make(*, db: Database | None = None, s3=None, **changes):
        app = create_app(
            settings=with_s3(settings, s3 or s3_config, **changes), database=db or database
        )
        if "health" not in app.blueprints:  # until app.py registers it
            health.init_app(app)
        app.config.update(TESTING=True)
        return app.test_client()

    return make


@pytest.fixture()
def dead_database():
    """A Database whose server does not exist: anything touching it fails."""
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/none")
    yield Database(engine)
    engine.dispose()
