"""Tests share code only through `tests.plugins`: no test module or conftest imports another
test module (`tests.web.conftest`, `from .conftest import …`), so moving or renaming a test
folder never breaks an unrelated one."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
PLUGINS = TESTS / "plugins"
SHARED = "tests.plugins"


def _forbidden(node: ast.AST) -> list[str]:
    """The modules an import statement names that are not `tests.plugins` ones."""
    if isinstance(node, ast.ImportFrom):
        if node.level:
            return ["." * node.level + (node.module or "")]
        names = [node.module or ""]
    elif isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        return []
    return [
        name
        for name in names
        if (name == "tests" or name.startswith("tests."))
        and name != SHARED
        and not name.startswith(SHARED + ".")
    ]


def _offences() -> list[str]:
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        if PLUGINS in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for name in _forbidden(node):
                found.append(f"{path.relative_to(TESTS.parent)}:{node.lineno}: imports {name}")
    return found


def test_tests_import_shared_code_only_from_tests_plugins():
    offences = _offences()
    assert not offences, "move shared helpers and fixtures into tests/plugins/:\n" + "\n".join(
        offences
    )


def test_the_check_sees_every_kind_of_forbidden_import():
    source = (
        "from tests.web.conftest import text_of\nfrom .conftest import IDENTITY\n"
        "import tests.jobs.sample_jobs\nfrom tests import jobs\n"
        "from tests.plugins.api import ApiCaller\nimport tests.plugins.pages\n"
    )
    found = [name for node in ast.walk(ast.parse(source)) for name in _forbidden(node)]
    assert found == ["tests.web.conftest", ".conftest", "tests.jobs.sample_jobs", "tests"]
