"""Fixtures of the phone journey: CSRF on as in production, the tenant's periods and
indicators, a province leader, and where the screenshots go."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from giamsat.core import clock
from giamsat.core.storage import storage_for
from giamsat.identity import Role
from giamsat.reports.provisioning import provision_tenant
from giamsat.tenancy.names import bucket_for

#: Where the screenshots of each step go (git-ignored; `.ci/run` says where, for the artifact).
ARTIFACTS = Path(
    os.environ.get(
        "GIAMSAT_JOURNEY_DIR", Path(__file__).resolve().parents[2] / "artifacts" / "journey"
    )
)


@pytest.fixture()
def app(app):
    app.config.update(WTF_CSRF_ENABLED=True)
    return app


@pytest.fixture()
def alpha_storage(settings, world):
    return storage_for(bucket_for("alpha"), settings)


@pytest.fixture()
def journey_world(tenant_session, world, add_user, catalogue):
    """Alpha with its report periods (the indicators and the calendar of today) and a
    province leader who accepts the commune's report."""
    with tenant_session("alpha") as session:
        provision_tenant(session, today=clock.today())
        session.commit()
    add_user("alpha", "p-leader", Role.leader, world.alpha.province)
    return world


@pytest.fixture()
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    return ARTIFACTS
