"""`giamsat db upgrade`: shared first, then every tenant with [i/n] progress, or one tenant."""
from __future__ import annotations

from click.testing import CliRunner

from giamsat.cli import main


def _run(database_url, *args):
    result = CliRunner().invoke(main, ["db", "upgrade", *args],
                                env={"GIAMSAT_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    return result.output


def test_upgrade_all_tenants_shows_progress(database_url, world):
    out = _run(database_url)
    assert out.startswith("shared: upgrading")
    lines = [line for line in out.splitlines() if line.startswith("[")]
    total = len(lines)
    assert total >= 2
    assert all(line.endswith(": ok") for line in lines)
    assert f"[{total}/{total}]" in out
    assert any(world.alpha.schema in line for line in lines)


def test_upgrade_in_parallel_processes(database_url, world):
    out = _run(database_url, "--jobs", "2")
    assert "FAILED" not in out and world.beta.schema in out


def test_upgrade_one_tenant(database_url, world):
    out = _run(database_url, "--tenant", "beta")
    assert "[1/1] t_beta: ok" in out and "t_alpha" not in out


def test_unknown_tenant_is_an_error(database_url, world):
    result = CliRunner().invoke(main, ["db", "upgrade", "--tenant", "nowhere"],
                                env={"GIAMSAT_DATABASE_URL": database_url})
    assert result.exit_code != 0 and "unknown tenant: nowhere" in result.output
