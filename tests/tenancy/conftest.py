"""Fixtures of the tenancy tests: apply manifests for real (they commit) and read what they made
outside the test rollback (`tests.plugins.tenancy` drops it again)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from giamsat.tenancy.manifest import Manifest
from giamsat.tenancy.names import schema_for


@pytest.fixture()
def apply(engine, settings):
    """`apply(manifest)` → ApplyReport, with progress lines collected in `apply.lines`."""
    from giamsat.commands.tenants import apply_manifest_file

    lines: list[str] = []

    def run(manifest: Manifest):
        return apply_manifest_file(engine, settings, manifest, echo=lines.append)

    run.lines = lines
    return run


@pytest.fixture()
def schema_session(engine):
    """`schema_session(slug)` → a plain session on a tenant schema, outside any test rollback."""
    sessions = []

    def open_(slug: str) -> Session:
        bind = engine.execution_options(schema_translate_map={None: schema_for(slug)})
        session = Session(bind, expire_on_commit=False)
        sessions.append(session)
        return session

    yield open_
    for session in sessions:
        session.close()
