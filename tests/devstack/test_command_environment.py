"""`giamsat` commands without GIAMSAT_DATABASE_URL: they find a running `giamsat dev` by its
env file in the current folder, or say in one sentence what to set (never a traceback).

"The default server is unreachable" is made real, not mocked: the command runs in an empty
network namespace (`unshare -rn`), where nothing answers on 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from giamsat.devstack.datadir import DataDir, read_env

GIAMSAT = str(Path(sys.executable).with_name("giamsat"))


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("GIAMSAT_")}


def _run(args, cwd: Path, *, isolated: bool, stdin: str = ""):
    argv = [GIAMSAT, *args]
    if isolated:
        argv = [shutil.which("unshare") or "unshare", "-rn", *argv]
    return subprocess.run(
        argv, cwd=cwd, env=_env(), input=stdin, capture_output=True, text=True, timeout=120
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_database_is_one_sentence_saying_what_to_set(tmp_path):
    result = _run(
        [
            "users",
            "create",
            "--tenant",
            "ninh-binh",
            "--username",
            "a",
            "--full-name",
            "A",
            "--password-stdin",
        ],
        tmp_path,
        isolated=True,
        stdin="a-long-password\n",
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "GIAMSAT_DATABASE_URL" in lines[0] and ". .giamsat-dev/env.sh" in lines[0]


def test_a_stale_env_file_is_named_in_the_sentence(tmp_path):
    folder = DataDir.create(tmp_path / ".giamsat-dev")
    folder.write_env(
        {"GIAMSAT_DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/giamsat"}
    )
    result = _run(["tenants", "list"], tmp_path, isolated=True)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert str(folder.env_file) in lines[0] and "không còn chạy" in lines[0]


def test_a_running_dev_stack_is_found_by_its_env_file(tmp_path, world, settings):
    # A stack's env file as `giamsat dev` writes it, pointing at a database that answers (the
    # test database, holding the world's tenants alpha and beta).
    folder = DataDir.create(tmp_path / ".giamsat-dev")
    folder.write_env({"GIAMSAT_DATABASE_URL": settings.database_url, "GIAMSAT_DEV": "1"})
    assert oct(folder.env_file.stat().st_mode & 0o777) == "0o600"
    assert read_env(folder.env_file)["GIAMSAT_DATABASE_URL"] == settings.database_url
    result = _run(["tenants", "list"], tmp_path, isolated=False)
    assert result.returncode == 0, result.stderr
    assert "alpha" in result.stdout and "beta" in result.stdout
    assert f"dùng `giamsat dev` đang chạy ({folder.env_file})" in result.stderr


def test_a_set_database_url_wins_over_any_env_file(tmp_path, world, settings):
    folder = DataDir.create(tmp_path / ".giamsat-dev")
    folder.write_env({"GIAMSAT_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    env = _env() | {"GIAMSAT_DATABASE_URL": settings.database_url}
    result = subprocess.run(
        [GIAMSAT, "tenants", "list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "alpha" in result.stdout and "dùng `giamsat dev`" not in result.stderr


def test_the_env_file_round_trips_awkward_values(tmp_path):
    folder = DataDir.create(tmp_path / "data")
    values = {"GIAMSAT_SECRET_KEY": "a'b c$d\"e", "GIAMSAT_MASTER_KEYS": "dev:abc=="}
    folder.write_env(values)
    assert read_env(folder.env_file) == values
    # And the shell reads it the same way.
    shown = subprocess.run(
        ["sh", "-c", f'. "{folder.env_file}" && printf %s "$GIAMSAT_SECRET_KEY"'],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout == values["GIAMSAT_SECRET_KEY"]
    folder.remove_env()
    assert not folder.env_file.exists()


def test_commands_that_need_no_database_run_without_one(tmp_path):
    helped = _run(["users", "create", "--help"], tmp_path, isolated=True)
    assert helped.returncode == 0 and "--operator" in helped.stdout
    key = _run(["keys", "new-master-key", "--id", "k2"], tmp_path, isolated=True)
    assert key.returncode == 0 and key.stdout.startswith("k2:")
