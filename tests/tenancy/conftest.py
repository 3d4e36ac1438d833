"""Fixtures for manifest tests: apply manifests for real (they commit) and drop what they made."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from giamsat.core.config import PROJECT_ROOT
from giamsat.tenancy.manifest import Manifest, parse_manifest
from giamsat.tenancy.models import Tenant
from giamsat.tenancy.names import schema_for
from giamsat.domains import rule_specs

RULES = rule_specs()  # the rules every domain declares

DATA = Path(__file__).parent / "data"
TENANTS_DIR = PROJECT_ROOT / "tenants"


def drop_tenant(engine, slug: str) -> None:
    """Remove a test tenant entirely, so its province code is free for later tests."""
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema_for(slug)}" CASCADE'))
        conn.execute(delete(Tenant).where(Tenant.slug == slug))


def manifest_text(path: Path, slug: str) -> str:
    """The manifest at `path` with its slug replaced, so tests never touch real tenants."""
    lines = path.read_text(encoding="utf-8").splitlines()
    replaced = [f'slug = "{slug}"' if line.startswith("slug = ") else line for line in lines]
    assert replaced != lines, f"{path} has no slug line"
    return "\n".join(replaced) + "\n"


def load_as(path: Path, slug: str) -> Manifest:
    return parse_manifest(manifest_text(path, slug), str(path), rules=RULES)


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


def count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))
