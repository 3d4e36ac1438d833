"""The 34 generated province manifests: they match the generator, validate, and apply together
with `tenants apply --all` (the parallel path) on a database of their own; re-applying writes
nothing; one invalid file stops the whole set."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from giamsat.cli import main
from giamsat.commands.tenants_apply import load_all
from giamsat.tenancy.roles import default_role_prefix, drop_roles_with_prefix
from giamsat.units.desired import desired_units
from giamsat.units.manifest_generator import list_provinces
from tests.plugins.tenancy import TENANTS_DIR

GIAMSAT = str(Path(sys.executable).parent / "giamsat")
#: Written by hand before the generator existed; regenerating must not change what they apply.
HAND_WRITTEN = ("ninh-binh", "ha-noi")
PROGRESS = re.compile(r"^(\d+)/(\d+) ([a-z-]+): (\d+) units, \d+\.\d s$")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    result = CliRunner().invoke(main, ["tenants", "generate", "--all", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "34 written, 0 left alone"
    return out


@pytest.fixture()
def scratch_env(database_url, cli_env):
    """Environment of `giamsat` commands on a database of this test's own (the 34 real
    province codes would clash with other tests' tenants), dropped afterwards."""
    name = f"{make_url(database_url).database}_all_{uuid.uuid4().hex[:6]}"
    admin = create_engine(
        make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    env = {
        **cli_env,
        "GIAMSAT_DATABASE_URL": url,
        "GIAMSAT_S3_BUCKET_PREFIX": cli_env["GIAMSAT_S3_BUCKET_PREFIX"] + "a",
        "PATH": str(Path(sys.executable).parent),
    }
    engine = create_engine(url)
    try:
        yield env, engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            drop_roles_with_prefix(conn, default_role_prefix(name))
        admin.dispose()


def _apply_all(env, directory: Path) -> subprocess.CompletedProcess:
    argv = [GIAMSAT, "tenants", "apply", "--all", "--dir", str(directory), "--jobs", "2"]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)


def _audit_rows(engine) -> dict[str, int]:
    with engine.connect() as conn:
        schemas = conn.scalars(text("SELECT schema_name FROM shared.tenants")).all()
        return {s: conn.scalar(text(f'SELECT count(*) FROM "{s}".audit_log')) for s in schemas}


def test_committed_manifests_are_the_generated_ones(generated):
    committed = sorted(p.name for p in TENANTS_DIR.glob("*.toml"))
    assert committed == sorted(p.name for p in generated.glob("*.toml"))
    assert len(committed) == 34
    for name in committed:
        if name.removesuffix(".toml") in HAND_WRITTEN:
            continue
        assert (TENANTS_DIR / name).read_text() == (generated / name).read_text(), name


def test_every_manifest_validates_with_its_official_units(generated):
    for directory in (TENANTS_DIR, generated):
        manifests, problems = load_all(sorted(directory.glob("*.toml")))
        assert problems == [] and len(manifests) == 34
    counts = {p.slug: p.commune_count for p in list_provinces()}
    assert sum(counts.values()) == 3321  # DOMAIN.md §8
    manifests, _ = load_all(sorted(generated.glob("*.toml")))
    for manifest in manifests:
        assert len(desired_units(manifest)) == counts[manifest.slug] + 1  # and the province


@pytest.mark.parametrize("slug", HAND_WRITTEN)
def test_generated_hand_written_provinces_apply_the_same(generated, slug):
    (ours,), _ = load_all([TENANTS_DIR / f"{slug}.toml"])
    (theirs,), _ = load_all([generated / f"{slug}.toml"])
    assert desired_units(theirs) == desired_units(ours)
    same = ("slug", "name", "province_code", "status", "structure", "levels", "units")
    for attr in (*same, "enabled_organizations", "organization_levels"):
        assert getattr(theirs, attr) == getattr(ours, attr), attr
    if slug == "ha-noi":  # no local sources in the hand-written file: the rules are the same too
        assert theirs.rules == ours.rules


def test_generate_leaves_an_existing_file_alone_without_force(tmp_path):
    path = tmp_path / "ninh-binh.toml"
    path.write_text("# written by hand\n", encoding="utf-8")
    run = CliRunner().invoke
    kept = run(main, ["tenants", "generate", "37", "cao-bang", "--out", str(tmp_path)])
    assert kept.exit_code == 0, kept.output
    assert f"{path}: exists, left alone (use --force to overwrite)" in kept.output
    assert path.read_text() == "# written by hand\n"
    assert (tmp_path / "cao-bang.toml").exists()
    forced = run(main, ["tenants", "generate", "ninh-binh", "--out", str(tmp_path), "--force"])
    assert forced.exit_code == 0 and 'slug = "ninh-binh"' in path.read_text()
    unknown = run(main, ["tenants", "generate", "63", "vung-tau", "--out", str(tmp_path)])
    assert unknown.exit_code != 0 and "63, vung-tau" in unknown.output


def test_apply_all_then_reapply_changes_nothing(scratch_env):
    env, engine = scratch_env
    first = _apply_all(env, TENANTS_DIR)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    progress = [PROGRESS.match(line) for line in first.stderr.splitlines()]
    done = [m.groups() for m in progress if m]
    assert [int(n) for n, *_ in done] == list(range(1, 35))
    assert {total for _, total, *_ in done} == {"34"}
    counts = {p.slug: p.commune_count + 1 for p in list_provinces()}
    assert {slug: int(units) for _, _, slug, units in done} == counts
    assert first.stderr.splitlines()[-1].startswith("34/34 applied in ")

    with engine.connect() as conn:
        slugs = set(conn.scalars(text("SELECT slug FROM shared.tenants")))
        assert slugs == set(counts)
        units = conn.scalar(text("SELECT count(*) FROM t_ho_chi_minh.units WHERE valid_to IS NULL"))
        # [history]: the old units that formed it (old HCMC, Bình Dương, Bà Rịa - Vũng Tàu).
        old_units = conn.scalar(
            text("SELECT count(*) FROM t_ho_chi_minh.units WHERE valid_to = DATE '2025-07-01'")
        )
        old_provinces = conn.scalar(
            text("SELECT count(*) FROM t_ho_chi_minh.units WHERE level_code = 'old_province'")
        )
        bad_paths = conn.scalar(
            text(
                "SELECT count(*) FROM t_ho_chi_minh.units c JOIN t_ho_chi_minh.units p "
                "ON p.id = c.parent_id WHERE c.path <> p.path || c.id || '/'"
            )
        )
    assert units == counts["ho-chi-minh"] and bad_paths == 0
    assert old_provinces == 3 and old_units > units
    audit_before = _audit_rows(engine)
    assert audit_before["t_ho_chi_minh"] > units  # one entry per created unit, and more

    again = _apply_all(env, TENANTS_DIR)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    assert again.stdout.count("  done: nothing changed") == 34
    assert _audit_rows(engine) == audit_before


def test_one_invalid_file_in_the_set_applies_nothing(scratch_env, tmp_path):
    env, engine = scratch_env
    for path in TENANTS_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / "cao-bang.toml"
    broken.write_text(
        broken.read_text().replace("response_days = 20", "response_days = 0"), encoding="utf-8"
    )
    result = _apply_all(env, tmp_path)
    assert result.returncode == 1
    assert f"{broken}: [rules] response_days must be a positive integer" in result.stderr
    assert "nothing applied" in result.stderr
    with engine.connect() as conn:
        schemas = conn.scalars(
            text(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%' OR nspname = 'shared'"
            )
        ).all()
    assert schemas == []


def test_a_tenant_failing_in_a_worker_leaves_the_others_applied(scratch_env, tmp_path):
    env, engine = scratch_env
    for slug in ("cao-bang", "lai-chau", "son-la"):
        shutil.copy(TENANTS_DIR / f"{slug}.toml", tmp_path / f"{slug}.toml")
    # Another tenant already holds Cao Bằng's code: only known once applying.
    other = tmp_path / "other.toml"
    other.write_text(
        (TENANTS_DIR / "cao-bang.toml").read_text().replace('slug = "cao-bang"', 'slug = "other"')
    )
    registered = _apply_all(env, _only(tmp_path, other))
    assert registered.returncode == 0, registered.stderr
    other.unlink()
    result = _apply_all(env, tmp_path)
    assert result.returncode == 1
    assert "province_code 4 already belongs to tenant 'other'" in result.stdout
    assert "1 tenant(s) failed: cao-bang" in result.stderr
    assert re.search(r"^\d/3 cao-bang: FAILED, ", result.stderr, re.M)
    with engine.connect() as conn:
        slugs = set(conn.scalars(text("SELECT slug FROM shared.tenants")))
    assert slugs == {"other", "lai-chau", "son-la"}


def _only(tmp_path: Path, manifest: Path) -> Path:
    folder = tmp_path / "only"
    folder.mkdir()
    shutil.copy(manifest, folder / manifest.name)
    return folder


def test_apply_needs_files_or_all(tmp_path):
    run = CliRunner().invoke
    nothing = run(main, ["tenants", "apply"])
    assert nothing.exit_code == 2 and "give one or more manifest files, or --all" in nothing.output
    both = run(main, ["tenants", "apply", "--all", str(TENANTS_DIR / "hue.toml")])
    assert both.exit_code == 2 and "not both" in both.output
    missing = run(main, ["tenants", "apply", "--all", "--dir", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "is not a folder" in missing.output
    empty = run(main, ["tenants", "apply", "--all", "--dir", str(tmp_path)])
    assert empty.exit_code == 1 and "no *.toml manifests in" in empty.output
    checked = run(main, ["tenants", "apply", "--all", "--check", "--dir", str(TENANTS_DIR)])
    assert checked.exit_code == 0 and checked.output == "34 manifest(s) valid\n"
