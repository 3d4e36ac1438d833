"""Settings from GIAMSAT_* environment variables; every default and its meaning lives here."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

#: The repository root when the package is installed in editable mode or copied into the image.
PROJECT_ROOT = Path(__file__).resolve().parents[3]
#: The installed `giamsat` package (its migrations, templates and data travel with it).
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    #: SQLAlchemy URL of the PostgreSQL database holding `shared` and every tenant schema.
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/giamsat"
    #: Prefix of the per-tenant database roles (`<prefix>_t_<slug>`; roles are cluster-wide, so
    #: two deployments on one PostgreSQL need different ones). Empty: derived from the
    #: database name. Only read when a tenant's role is first created.
    db_role_prefix: str = ""
    #: Redis URL for RQ (used by the job runtime).
    redis_url: str = "redis://127.0.0.1:6379/0"
    #: S3 endpoint (MinIO, SeaweedFS, any S3): http:// or https://, no path.
    s3_url: str = "http://127.0.0.1:8333"
    s3_access_key: str = ""
    s3_secret_key: str = field(default="", repr=False)
    #: Region the requests are signed for.
    s3_region: str = "us-east-1"
    #: Tenant buckets are "<prefix>-<slug>".
    s3_bucket_prefix: str = "giamsat"
    #: Base URL browsers use for presigned download links, if different from s3_url.
    s3_public_url: str = ""
    #: Master keys wrapping each tenant's reporter-data key: "<id>:<base64 of 32 bytes>",
    #: comma-separated; the first wraps new tenant data keys, the others only unwrap (rotation).
    master_keys: str = field(default="", repr=False)
    #: SMTP server for notification emails (STARTTLS when smtp_use_tls; port 587 usually).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_use_tls: bool = False
    #: Sender address of notification emails.
    mail_from: str = "giamsat@localhost"
    #: New people get a one-time sign-in link by email (when they have an address) instead of
    #: a temporary password on a printed sheet. Needs a working SMTP server (smtp_*).
    invite_by_email: bool = False
    #: Where people reach the app from outside, e.g. "https://giamsat.ninhbinh.gov.vn": absolute
    #: links in emails, printed QR labels and public links start here. Empty (the default):
    #: labels are refused and tenant admins see a warning until it is set; a loopback address
    #: (127.0.0.1, localhost) counts as unset outside GIAMSAT_DEV (`core.public_address`).
    public_base_url: str = ""
    #: Prefix of RQ queue names and job ids, so deployments or test runs can share one Redis
    #: (letters, digits, _ and - only).
    queue_prefix: str = ""
    #: Signs session cookies and CSRF tokens. Must be set in production; a random one is used
    #: otherwise, which logs everybody out at every restart.
    secret_key: str = field(default="", repr=False)
    #: Send the session cookie only over HTTPS. Turn off only for local development over http.
    session_cookie_secure: bool = True
    #: Minutes of inactivity after which a web session ends.
    session_idle_minutes: int = 30
    #: Default language of pages: "vi" or "en".
    default_locale: str = "vi"
    #: The zone whose calendar dates the work (today, deadlines, periods, documents); moments
    #: are stored in UTC and shown in this zone.
    time_zone: str = "Asia/Ho_Chi_Minh"
    #: Alembic environments shipped inside the package (shared/ and tenant/).
    migrations_dir: Path = field(default_factory=lambda: PACKAGE_DIR / "migrations")
    #: Largest page size any API list accepts.
    api_max_page_size: int = 100
    #: Connection pool size per process.
    db_pool_size: int = 5
    #: Development conveniences (plain-http cookies, no HSTS); never in production.
    dev: bool = False
    #: `Strict-Transport-Security: max-age` of every response (0: no HSTS; the default in dev).
    hsts_seconds: int = 31536000

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"GIAMSAT_{f.name.upper()}")
            if raw is None:
                continue
            if f.type in ("bool",):
                values[f.name] = _bool(raw)
            elif f.type in ("int",):
                values[f.name] = int(raw)
            elif f.type in ("Path",):
                values[f.name] = Path(raw)
            else:
                values[f.name] = raw
        values.update(overrides)
        settings = cls(**values)
        if (
            settings.dev
            and "session_cookie_secure" not in values
            and not env.get("GIAMSAT_SESSION_COOKIE_SECURE")
        ):
            settings = replace(settings, session_cookie_secure=False)
        if settings.dev and "hsts_seconds" not in values and not env.get("GIAMSAT_HSTS_SECONDS"):
            settings = replace(settings, hsts_seconds=0)  # http://127.0.0.1 must stay reachable
        return settings

    def validate(self) -> None:
        """Fail fast on settings that would make the app misbehave later."""
        if not self.database_url.startswith("postgresql"):
            raise ValueError("GIAMSAT_DATABASE_URL must be a PostgreSQL URL")
        if not self.s3_url.startswith(("http://", "https://")):
            raise ValueError("GIAMSAT_S3_URL must be an http(s) URL")
        if self.master_keys:
            from giamsat.core import crypto

            crypto.parse_master_keys(self.master_keys)  # ValueError with a clear message
        if self.default_locale not in {"vi", "en"}:
            raise ValueError("GIAMSAT_DEFAULT_LOCALE must be 'vi' or 'en'")
        if self.hsts_seconds < 0:
            raise ValueError("GIAMSAT_HSTS_SECONDS must be 0 (off) or more")
        if self.session_idle_minutes < 1:
            raise ValueError("GIAMSAT_SESSION_IDLE_MINUTES must be at least 1")
        if self.db_role_prefix and not re.fullmatch(r"[a-z][a-z0-9_]{0,23}", self.db_role_prefix):
            raise ValueError(
                "GIAMSAT_DB_ROLE_PREFIX: 1-24 lowercase letters, digits or '_', "
                "starting with a letter"
            )
        from giamsat.core.clock import zone_named

        try:
            zone_named(self.time_zone)
        except ValueError as error:
            raise ValueError(f"GIAMSAT_TIME_ZONE: {error}") from None

    def effective_secret_key(self) -> str:
        return self.secret_key or secrets.token_urlsafe(32)
