"""Every "now" and "today" comes from `giamsat.core.clock`: none is read on the server's zone."""

from __future__ import annotations

import ast
from pathlib import Path

import giamsat

PACKAGE = Path(giamsat.__file__).resolve().parent
CLOCK = PACKAGE / "core" / "clock.py"
#: attribute calls that read the machine's clock directly
FORBIDDEN = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("time", "localtime"),
}


def bare_clock_reads(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (name, node.func.attr) in FORBIDDEN:
                found.append(f"{path.relative_to(root)}:{node.lineno} {name}.{node.func.attr}()")
    return found


def test_no_module_reads_the_machine_clock_but_core_clock():
    found = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != CLOCK
        for hit in bare_clock_reads(path)
    ]
    assert found == [], "use giamsat.core.clock (now/today/local…):\n" + "\n".join(found)


def test_the_check_sees_each_spelling(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt\nfrom datetime import date, datetime\n"
        "a = dt.date.today()\nb = datetime.now()\nc = dt.datetime.utcnow()\n"
        "d = date.today()\n",
        encoding="utf-8",
    )
    assert len(bare_clock_reads(sample, tmp_path)) == 4
