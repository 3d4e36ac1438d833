"""The one folder `giamsat dev` keeps everything in: server data, logs, generated keys and password."""

from __future__ import annotations

import base64
import json
import os
import secrets
import shlex
from dataclasses import dataclass
from pathlib import Path


def write_private(path: Path, text: str) -> None:
    """Write `text` readable by the owner only (0600), atomically: never a half-written secret."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o600)  # O_CREAT's mode does not apply when tmp already existed
    os.replace(tmp, path)


def new_password() -> str:
    # Easy to read aloud and to type on a phone: lowercase letters and digits, in groups.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


#: The environment file of a running `giamsat dev`, inside its data folder.
ENV_FILE_NAME = "env.sh"


def format_env(values: dict[str, str]) -> str:
    """A POSIX shell file exporting `values` (quoted), readable back by `read_env`."""
    head = (
        "# Written by `giamsat dev` while it runs; removed when it stops. Use: . ./env.sh\n"
        "# It holds the stack's secrets (0600): do not copy it elsewhere.\n"
    )
    return head + "".join(f"export {k}={shlex.quote(v)}\n" for k, v in sorted(values.items()))


def read_env(path: Path) -> dict[str, str]:
    """The `export KEY=value` lines of an env file written by `format_env`."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        words = shlex.split(line, comments=True)
        if len(words) == 2 and words[0] == "export" and "=" in words[1]:
            key, _, value = words[1].partition("=")
            values[key] = value
    return values


@dataclass(frozen=True)
class DataDir:
    root: Path

    @classmethod
    def create(cls, root: str | Path) -> DataDir:
        root = Path(root).expanduser().resolve()
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        (root / "logs").mkdir(exist_ok=True)
        return cls(root)

    # Each server gets its own subfolder: the PostgreSQL one changes owner when we run as root.
    postgres = property(lambda self: self.root / "postgres")
    valkey = property(lambda self: self.root / "valkey")
    s3 = property(lambda self: self.root / "s3")
    logs = property(lambda self: self.root / "logs")
    secrets_file = property(lambda self: self.root / "secrets.json")
    admin_password_file = property(lambda self: self.root / "admin-password.txt")
    pending_password_file = property(lambda self: self.root / "admin-password.pending")
    #: `. <data folder>/env.sh` points any `giamsat` command at this folder's running servers.
    env_file = property(lambda self: self.root / ENV_FILE_NAME)

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def secrets(self) -> dict[str, str]:
        """Keys generated on the first start and reused afterwards (sessions, encryption, S3).

        Reuse matters: a new master key would make the encrypted reporter data unreadable.
        """
        try:
            values = json.loads(self.secrets_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            values = {}
        wanted = {
            "secret_key": lambda: secrets.token_urlsafe(32),
            # 32 random bytes (an AES-256 master key), URL-safe base64; `giamsat dev` exports
            # it as GIAMSAT_MASTER_KEYS="dev:<key>".
            "master_key": lambda: base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "s3_access_key": lambda: "giamsat-dev-" + secrets.token_hex(4),
            "s3_secret_key": lambda: secrets.token_urlsafe(24),
        }
        missing = {name: make() for name, make in wanted.items() if name not in values}
        if missing:
            values.update(missing)
            write_private(self.secrets_file, json.dumps(values, indent=2))
        return values

    def admin_password(self) -> str | None:
        """The demo admin's password once the account was created, else None."""
        try:
            return self.admin_password_file.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def pending_admin_password(self) -> str:
        """The password for an admin about to be created: kept on disk *before* creation, so a
        crash between creating the account and saving its password cannot lose it."""
        try:
            password = self.pending_password_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            password = ""
        if not password:
            password = new_password()
            write_private(self.pending_password_file, password + "\n")
        return password

    def write_env(self, values: dict[str, str]) -> None:
        write_private(self.env_file, format_env(values))

    def remove_env(self) -> None:
        self.env_file.unlink(missing_ok=True)

    def confirm_admin_password(self) -> None:
        os.replace(self.pending_password_file, self.admin_password_file)
