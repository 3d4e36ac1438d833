"""`giamsat db upgrade`: shared first, then every tenant with [i/n] progress, or one tenant."""

from __future__ import annotations

from click.testing import CliRunner

from giamsat.cli import main


def _run(cli_env, *args):
    result = CliRunner().invoke(main, ["db", "upgrade", *args], env=cli_env)
    assert result.exit_code == 0, result.output
    return result.output


def test_upgrade_all_tenants_shows_progress(cli_env, world):
    out = _run(cli_env)
    assert out.startswith("shared: upgrading")
    lines = [line for line in out.splitlines() if line.startswith("[")]
    total = len(lines)
    assert total >= 2
    assert all(line.endswith(": ok") for line in lines)
    assert f"[{total}/{total}]" in out
    assert any(world.alpha.schema in line for line in lines)


def test_upgrade_in_parallel_processes(cli_env, world):
    out = _run(cli_env, "--jobs", "2")
    assert "FAILED" not in out and world.beta.schema in out


def test_upgrade_one_tenant(cli_env, world):
    out = _run(cli_env, "--tenant", "beta")
    assert "[1/1] t_beta: ok" in out and "t_alpha" not in out


def test_unknown_tenant_is_an_error(cli_env, world):
    result = CliRunner().invoke(main, ["db", "upgrade", "--tenant", "nowhere"], env=cli_env)
    assert result.exit_code != 0 and "unknown tenant: nowhere" in result.output
