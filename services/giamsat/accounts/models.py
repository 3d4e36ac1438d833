"""Users, role assignments and API tokens of one province tenant."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from giamsat.core.db import TenantBase, TimestampMixin
from giamsat.identity import Role
from giamsat.units.models import Organization, Unit


class User(TimestampMixin, TenantBase):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Login name, lowercase (often the email address).
    username: Mapped[str] = mapped_column(String(120), unique=True)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    full_name: Mapped[str] = mapped_column(String(200))
    #: argon2id hash; never leaves the accounts package.
    password_hash: Mapped[str] = mapped_column(String(200))
    #: "vi" or "en".
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: Bumped at logout: every web session cookie issued before then stops working, even a
    #: copied one (the cookie itself is only signed, not stored server-side).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Set with a temporary password or a sign-in link: the first sign-in must choose a password.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="false"
    )
    #: SHA-256 of the one-time sign-in link's token, and when the link stops working.
    signin_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    signin_token_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: The TOTP secret once enrolled, encrypted under the master key as "key_id:base64"
    #: (`accounts.totp`); never shown again.
    totp_secret: Mapped[str | None] = mapped_column(String(200))
    #: The last TOTP time step accepted: a code is good once, not twice in its 30 seconds.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan"
    )


class RoleAssignment(TimestampMixin, TenantBase):
    """A role a user holds at a unit (and optionally for one organization there)."""

    __tablename__ = "role_assignments"
    __table_args__ = (
        UniqueConstraint(
            "user_id",
            "role",
            "unit_id",
            "organization_id",
            name="uq_role_assignments_grant",
            postgresql_nulls_not_distinct=True,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(Enum(Role, name="role", native_enum=False, length=20))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))

    user: Mapped[User] = relationship(back_populates="roles")
    unit: Mapped[Unit] = relationship(lazy="joined")
    organization: Mapped[Organization | None] = relationship(lazy="joined")


class ApiToken(TimestampMixin, TenantBase):
    """A personal API token: shown once, stored as a SHA-256 hash, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    #: First characters of the token, to recognise it in lists.
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: "read" (GET only) or "read_write".
    scope: Mapped[str] = mapped_column(
        String(10), default="read_write", server_default="read_write"
    )
    #: After this moment the token answers 401 (None: tokens made before expiry existed).
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class RecoveryCode(TimestampMixin, TenantBase):
    """A one-time code that stands in for the second factor; argon2-hashed, shown once."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class SignInSession(TimestampMixin, TenantBase):
    """A browser session on record: listed to its user, revocable one by one.

    The cookie carries a random key; only its SHA-256 is stored here."""

    __tablename__ = "signin_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
