"""The tenant registry in the `shared` schema."""

from __future__ import annotations

import enum

from sqlalchemy import CheckConstraint, Enum, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from giamsat.core.db import SharedBase, TimestampMixin


class TenantStatus(str, enum.Enum):
    active = "active"
    #: Kept with its data but unreachable: every URL of the tenant answers 404.
    suspended = "suspended"


class Tenant(TimestampMixin, SharedBase):
    """A province's Front system (Ủy ban MTTQ tỉnh and every unit below it)."""

    __tablename__ = "tenants"
    __table_args__ = (
        CheckConstraint(r"schema_name ~ '^t_[a-z][a-z0-9_]*$'", name="schema_name_pattern"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: URL identifier, e.g. "ninh-binh".
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    #: Display name, e.g. "Ninh Bình".
    name: Mapped[str] = mapped_column(String(200))
    #: Official province code (QĐ 19/2025/QĐ-TTg), e.g. 37 for Ninh Bình.
    province_code: Mapped[int] = mapped_column(Integer, unique=True)
    #: PostgreSQL schema holding the province's data, `t_<slug>`.
    schema_name: Mapped[str] = mapped_column(String(63), unique=True)
    #: Object-storage bucket of the province.
    bucket_name: Mapped[str] = mapped_column(String(63), unique=True)
    #: NOLOGIN database role every transaction of the tenant runs as (`tenancy.roles`).
    db_role: Mapped[str | None] = mapped_column(String(63), unique=True)
    status: Mapped[TenantStatus] = mapped_column(
        Enum(TenantStatus, name="tenant_status", native_enum=False, length=20),
        default=TenantStatus.active,
    )

    @property
    def is_active(self) -> bool:
        return self.status == TenantStatus.active
