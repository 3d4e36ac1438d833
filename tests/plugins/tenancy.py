"""Tenancy test helpers: manifests under test slugs, and dropping the tenants they made."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from giamsat.core.config import PROJECT_ROOT
from giamsat.domains import rule_specs
from giamsat.tenancy.manifest import Manifest, parse_manifest
from giamsat.tenancy.models import Tenant
from giamsat.tenancy.names import schema_for

RULES = rule_specs()  # the rules every domain declares

#: Manifests written for the tests (tests/tenancy/data).
DATA = Path(__file__).resolve().parents[1] / "tenancy" / "data"
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


def count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@contextmanager
def applied(engine, settings, manifest: Manifest):
    """The tenant of `manifest` applied for real (committed), yielding (report, progress lines);
    dropped again afterwards."""
    from giamsat.commands.tenants import apply_manifest_file

    lines: list[str] = []
    try:
        yield apply_manifest_file(engine, settings, manifest, echo=lines.append), lines
    finally:
        drop_tenant(engine, manifest.slug)
