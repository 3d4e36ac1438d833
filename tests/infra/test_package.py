"""The built wheel is the whole product: code, migrations, templates, translations, data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import giamsat
from giamsat.core.config import PROJECT_ROOT, Settings


def test_settings_find_the_migrations_inside_the_package():
    assert Settings().migrations_dir == Path(giamsat.__file__).resolve().parent / "migrations"
    assert (Settings().migrations_dir / "tenant" / "env.py").is_file()


def test_the_wheel_carries_migrations_templates_and_translations(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(PROJECT_ROOT),
        ],
        check=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("giamsat-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for env in ("shared", "tenant"):
        assert f"giamsat/migrations/{env}/env.py" in names
        assert f"giamsat/migrations/{env}/script.py.mako" in names
        shipped = {n for n in names if n.startswith(f"giamsat/migrations/{env}/versions/")}
        in_repo = {
            f"giamsat/migrations/{env}/versions/{p.name}"
            for p in (Settings().migrations_dir / env / "versions").glob("*.py")
        }
        assert in_repo and shipped >= in_repo
    assert any(n.startswith("giamsat/cases/templates/") for n in names)
    # The pre-2025 tree and its successors ([history] in a manifest) ship as data.
    assert "giamsat/units/data/pre2025.json.gz" in names
    assert any(n.endswith("/messages.mo") or n.endswith("/messages.po") for n in names)
    assert not any("/tests/" in n or n.startswith("tests/") for n in names)
