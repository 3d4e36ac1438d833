"""Which database a `giamsat` command talks to when GIAMSAT_DATABASE_URL is not set.

In order: a `giamsat dev` running from this folder (its `.giamsat-dev/env.sh`, when its
database answers), then the default server; if neither answers, one sentence says what to set
(the command never gets as far as a connection traceback).
"""

from __future__ import annotations

import os
import socket
from collections.abc import MutableMapping
from pathlib import Path

from sqlalchemy.engine import make_url

from giamsat.core.config import Settings
from giamsat.devstack.datadir import ENV_FILE_NAME, read_env

#: `giamsat dev`'s default data folder, relative to where it was started.
DEV_DATA_DIR = ".giamsat-dev"


class NoDatabase(Exception):
    """No database to talk to; the message is the one sentence to show."""


def answers(database_url: str, timeout: float = 1.0) -> bool:
    """The URL's server accepts TCP connections (a Unix-socket URL is taken as answering)."""
    url = make_url(database_url)
    if not url.host or url.host.startswith("/"):
        return True
    try:
        with socket.create_connection((url.host, url.port or 5432), timeout=timeout):
            return True
    except OSError:
        return False


def locate_database(
    environ: MutableMapping[str, str] | None = None, cwd: Path | None = None
) -> Path | None:
    """Make `environ` point at a database; return the env file used, if any. Raises NoDatabase."""
    environ = os.environ if environ is None else environ
    if environ.get("GIAMSAT_DATABASE_URL"):
        return None
    env_file = (cwd or Path.cwd()) / DEV_DATA_DIR / ENV_FILE_NAME
    stale = False
    if env_file.is_file():
        values = read_env(env_file)
        url = values.get("GIAMSAT_DATABASE_URL", "")
        if url and answers(url):
            for key, value in values.items():
                environ.setdefault(key, value)
            return env_file
        stale = True
    default = Settings.database_url
    if answers(default):
        return None
    where = f"{make_url(default).host}:{make_url(default).port or 5432}"
    if stale:
        raise NoDatabase(
            f"Không kết nối được cơ sở dữ liệu: {env_file} có nhưng `giamsat dev` của nó không "
            f"còn chạy, và không có máy chủ ở {where}; hãy chạy lại `giamsat dev` hoặc đặt "
            "GIAMSAT_DATABASE_URL."
        )
    raise NoDatabase(
        f"Không kết nối được cơ sở dữ liệu ở {where}: hãy đặt GIAMSAT_DATABASE_URL "
        f"(ví dụ postgresql+psycopg://user@host:5432/giamsat), hoặc chạy `giamsat dev` trong "
        f"thư mục này rồi dùng `. {DEV_DATA_DIR}/{ENV_FILE_NAME}`."
    )
