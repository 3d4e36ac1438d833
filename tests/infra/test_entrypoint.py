"""infra/entrypoint.sh: each role runs the right command, with `giamsat` and `gunicorn` stubbed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import click
import pytest

from giamsat import cli
from tests.plugins.infra import ENTRYPOINT

STUB = """#!/bin/sh
# Records its command line; fails with 3 when it equals $STUB_FAIL.
echo "$(basename "$0") $*" >> "$STUB_LOG"
[ "$(basename "$0") $*" = "${STUB_FAIL:-}" ] && exit 3
exit 0
"""


@pytest.fixture
def run_entrypoint(tmp_path):
    """Runs the entrypoint under /bin/sh (dash, as in the image) with stub commands on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("giamsat", "gunicorn"):
        stub = bin_dir / name
        stub.write_text(STUB)
        stub.chmod(0o755)
    log = tmp_path / "calls.log"
    tenants = tmp_path / "tenants"
    tenants.mkdir()

    def run(*args: str, **env: str):
        environ = {
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "STUB_LOG": str(log),
            "GIAMSAT_TENANTS_DIR": str(tenants),
            **env,
        }
        result = subprocess.run(
            ["/bin/sh", str(ENTRYPOINT), *args],
            env=environ,
            capture_output=True,
            text=True,
            timeout=30,
        )
        calls = log.read_text().splitlines() if log.exists() else []
        log.unlink(missing_ok=True)
        return result, calls

    run.tenants = tenants
    return run


def test_script_is_posix_sh_and_executable():
    assert ENTRYPOINT.read_text().startswith("#!/bin/sh\n")
    assert os.access(ENTRYPOINT, os.X_OK)
    for shell in ("sh", "dash"):
        if shutil.which(shell):
            check = subprocess.run([shell, "-n", str(ENTRYPOINT)], capture_output=True, text=True)
            assert check.returncode == 0, check.stderr


def test_roles_are_exactly_the_documented_ones(roles):
    assert roles == {"web", "worker", "scheduler", "migrate", "backup"}


def test_migrate_upgrades_then_applies_every_manifest_in_order(run_entrypoint):
    for name in ("ninh-binh.toml", "ha-noi.toml", "README.md"):
        (run_entrypoint.tenants / name).write_text("")
    result, calls = run_entrypoint("migrate")
    assert result.returncode == 0, result.stderr
    d = run_entrypoint.tenants
    assert calls == [
        "giamsat db upgrade",
        f"giamsat tenants apply {d}/ha-noi.toml {d}/ninh-binh.toml",
    ]


def test_migrate_without_manifests_only_upgrades(run_entrypoint):
    result, calls = run_entrypoint("migrate")
    assert result.returncode == 0, result.stderr
    assert calls == ["giamsat db upgrade"]
    assert "no tenant manifests" in result.stdout


def test_failed_upgrade_stops_migrate_before_any_manifest(run_entrypoint):
    (run_entrypoint.tenants / "ninh-binh.toml").write_text("")
    result, calls = run_entrypoint("migrate", STUB_FAIL="giamsat db upgrade")
    assert result.returncode == 3
    assert calls == ["giamsat db upgrade"]


def test_failed_manifest_fails_migrate(run_entrypoint):
    (run_entrypoint.tenants / "ninh-binh.toml").write_text("")
    failing = f"giamsat tenants apply {run_entrypoint.tenants}/ninh-binh.toml"
    result, calls = run_entrypoint("migrate", STUB_FAIL=failing)
    assert result.returncode == 3
    assert calls[-1] == failing


def test_worker_passes_its_queues_and_exit_code(run_entrypoint):
    result, calls = run_entrypoint("worker", "ocr", "aggregation")
    assert (result.returncode, calls) == (0, ["giamsat worker ocr aggregation"])
    result, calls = run_entrypoint("worker", STUB_FAIL="giamsat worker")
    assert (result.returncode, calls) == (3, ["giamsat worker"])


def test_backup_writes_every_tenant_with_its_options(run_entrypoint):
    result, calls = run_entrypoint("backup", "--output-dir", "/backups", "--keep", "7")
    assert result.returncode == 0, result.stderr
    assert calls == ["giamsat tenants backup --all --output-dir /backups --keep 7"]


def test_scheduler(run_entrypoint):
    result, calls = run_entrypoint("scheduler")
    assert (result.returncode, calls) == (0, ["giamsat scheduler"])


@pytest.mark.parametrize("args", [("web",), ()], ids=["web", "default-role"])
def test_web_runs_gunicorn_on_the_app_factory(run_entrypoint, args):
    result, calls = run_entrypoint(*args)
    assert result.returncode == 0, result.stderr
    [call] = calls
    assert call.startswith("gunicorn ")
    assert call.endswith(" giamsat.wsgi:app")
    assert "--bind 0.0.0.0:8000" in call
    assert "--worker-tmp-dir /dev/shm" in call
    assert "--forwarded-allow-ips" not in call


def test_web_settings_come_from_the_environment(run_entrypoint):
    result, [call] = run_entrypoint(
        "web", GIAMSAT_WEB_PORT="9000", GIAMSAT_WEB_WORKERS="5", GIAMSAT_FORWARDED_ALLOW_IPS="*"
    )
    assert result.returncode == 0, result.stderr
    assert "--bind 0.0.0.0:9000" in call
    assert "--workers 5" in call
    assert "--forwarded-allow-ips *" in call


def test_other_commands_run_as_given(run_entrypoint):
    result, calls = run_entrypoint("echo", "xin chào")
    assert (result.returncode, result.stdout, calls) == (0, "xin chào\n", [])


def _giamsat_invocations() -> list[list[str]]:
    """Each `giamsat …` command line of the script (comments left out), as words."""
    lines = [line.split("#", 1)[0] for line in ENTRYPOINT.read_text().splitlines()]
    return [m.split() for line in lines for m in re.findall(r"\bgiamsat(?: [a-z][a-z-]*)+", line)]


def test_every_giamsat_command_used_exists_in_the_cli():
    # worker and scheduler are added to COMMANDS by the job runtime work.
    known = {name for _, name in cli.COMMANDS} | {"worker", "scheduler"}
    invocations = _giamsat_invocations()
    assert {words[1] for words in invocations} >= {"db", "tenants", "worker", "scheduler"}
    for words in invocations:
        assert words[1] in known, f"`{' '.join(words)}`: no such giamsat command"
        command = cli.main.commands.get(words[1])
        if isinstance(command, click.Group):
            assert len(words) > 2 and words[2] in command.commands, (
                f"`{' '.join(words)}`: no such subcommand"
            )
