"""Tenant SQL only runs on sessions from `core.db.Database.session(schema)`, which enter the
schema's database role at every transaction: no other module binds a tenant schema itself."""

from __future__ import annotations

import ast
from pathlib import Path

import giamsat

PACKAGE = Path(giamsat.__file__).resolve().parent
#: Where a schema_translate_map may be built: the session factory, and the migrations (which
#: run as the owner by design, then grant the tenant role).
ALLOWED = {
    PACKAGE / "core" / "db.py",
    PACKAGE / "migrations" / "tenant" / "env.py",
}


def translate_maps(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.keyword) and node.arg == "schema_translate_map":
            found.append(f"{path.relative_to(PACKAGE.parent)}:{node.value.lineno}")
    return found


def test_only_the_session_factory_binds_a_tenant_schema():
    found = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        if path not in ALLOWED
        for hit in translate_maps(path)
    ]
    assert found == [], "open tenant sessions with Database.session(schema):\n" + "\n".join(found)


def test_the_rule_sees_the_allowed_ones():
    assert translate_maps(PACKAGE / "core" / "db.py")
