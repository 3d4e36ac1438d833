"""A PostgreSQL of the test's own, that the test may stop and start (never the shared server,
which other runs use): an embedded cluster in a scratch folder, on a port it keeps across
restarts, with the `giamsat` database and the shared schema migrated."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from giamsat.devstack.postgres import EmbeddedPostgres


class PrivatePostgres:
    def __init__(self, folder: Path):
        self.server = EmbeddedPostgres(folder / "data")

    @property
    def url(self) -> str:
        return self.server.url("giamsat")

    def start(self) -> None:
        port = self.server.port
        self.server.start()
        assert port is None or self.server.port == port, "the restart moved to another port"

    def stop(self) -> None:
        self.server.stop()

    def engine(self):
        return create_engine(self.url, poolclass=NullPool)


@pytest.fixture(scope="module")
def private_postgres(migrations_dir_session):
    """Started, with the shared schema; module-scoped (a cluster takes a few seconds)."""
    from giamsat.tenancy.migrations import upgrade_shared

    # Not pytest's tmp_path: as root the server runs as another user who must walk down to it.
    folder = Path(tempfile.mkdtemp(prefix="giamsat-private-pg-"))
    pg = PrivatePostgres(folder)
    pg.start()
    try:
        pg.server.ensure_database("giamsat")
        engine = pg.engine()
        upgrade_shared(engine, migrations_dir_session)
        engine.dispose()
        yield pg
    finally:
        pg.stop()
        shutil.rmtree(folder, ignore_errors=True)
