"""Platform accounts: the people above every tenant — operators, who run the deployment, and
the central committee (Ủy ban Trung ương MTTQ Việt Nam), who reads the national view.

They live in the `shared` schema, not in any tenant: a tenant's admin is never a platform
account, and a platform account holds no role in any tenant. Both sign in at /platform/login.
An operator sees every tenant's status and activity, suspends or resumes a tenant, and reads
the national view; a central account reads the national view only (`giamsat users create
--operator` / `--central` makes one). Flush only; the caller commits.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, CheckConstraint, DateTime, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from giamsat.core.db import SharedBase, TimestampMixin, utcnow
from giamsat.core.passwords import hash_password, verify_password
from giamsat.tenancy.models import Tenant, TenantStatus


class PlatformRole(str, enum.Enum):
    #: Vận hành hệ thống: the tenant registry, suspend/resume, and the national view (read).
    operator = "operator"
    #: Ủy ban Trung ương MTTQ Việt Nam: the national view of every province (read).
    central = "central"


class PlatformOperator(TimestampMixin, SharedBase):
    """A platform account (the table keeps its first name: operators came first)."""

    __tablename__ = "platform_operators"
    __table_args__ = (CheckConstraint("role IN ('operator', 'central')", name="platform_role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Login name, lowercase.
    username: Mapped[str] = mapped_column(String(120), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    #: argon2id hash.
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: "operator" or "central" (PlatformRole).
    role: Mapped[str] = mapped_column(
        String(20), default=PlatformRole.operator.value, server_default="operator"
    )

    @property
    def is_operator(self) -> bool:
        """May see the tenant registry and suspend or resume tenants."""
        return self.role == PlatformRole.operator.value

    @property
    def reads_national_view(self) -> bool:
        """Both platform roles read the national view; neither writes anything there."""
        return self.role in (PlatformRole.operator.value, PlatformRole.central.value)

    @property
    def actor_label(self) -> str:
        """How the tenant's audit log names a platform account's action."""
        return f"{self.role}:{self.username}"

    user_id = None  # not a user of any tenant


def get_operator(session: Session, operator_id: int | None) -> PlatformOperator | None:
    if operator_id is None:
        return None
    operator = session.get(PlatformOperator, operator_id)
    return operator if operator is not None and operator.is_active else None


def create_operator(
    session: Session,
    *,
    username: str,
    full_name: str,
    password: str,
    role: PlatformRole = PlatformRole.operator,
) -> PlatformOperator:
    operator = PlatformOperator(
        username=username.strip().lower(),
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        role=PlatformRole(role).value,
    )
    session.add(operator)
    session.flush()
    return operator


def authenticate_operator(
    session: Session, username: str, password: str
) -> PlatformOperator | None:
    """The operator with these credentials, or None (same work whether the name exists)."""
    operator = session.scalar(
        select(PlatformOperator).where(PlatformOperator.username == username.strip().lower())
    )
    ok = verify_password(operator.password_hash if operator else None, password)
    if not ok or operator is None or not operator.is_active:
        return None
    operator.last_login_at = utcnow()
    return operator


def set_tenant_status(session: Session, slug: str, status: TenantStatus) -> tuple[Tenant, bool]:
    """Suspend or resume a tenant in the registry; returns (tenant, changed). Its pages and API
    answer "tạm ngừng" while suspended, its jobs are skipped (jobs.decorators)."""
    tenant = session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise LookupError(slug)
    changed = tenant.status != status
    tenant.status = status
    session.flush()
    return tenant, changed
