"""Levels, units and organizations of one province tenant."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from giamsat.core import clock
from giamsat.core.db import TenantBase, TimestampMixin, string_enum


class UnitLevel(TenantBase):
    """A level of the tree as data: "province", "district", "commune", "residential_area"…"""

    __tablename__ = "unit_levels"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: Depth of the level in the tree: 0 for the province, increasing downwards.
    rank: Mapped[int] = mapped_column(Integer)
    name_vi: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    #: Units of this level are residential areas (khu dân cư), managed by their commune.
    is_residential_area: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Units of this level may have residential areas below them (communes, wards).
    holds_residential_areas: Mapped[bool] = mapped_column(Boolean, default=False)


class Unit(TimestampMixin, TenantBase):
    """A node of the tree: a Front unit (province, commune…) or a residential area."""

    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="validity_order"),
        # Official codes are unique among units of one level (a commune code is never reused).
        Index(
            "uq_units_level_official_code",
            "level_code",
            "official_code",
            unique=True,
            postgresql_where="official_code IS NOT NULL",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level_code: Mapped[str] = mapped_column(ForeignKey("unit_levels.code"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: Materialized path of ids, "/1/7/42/": a unit's subtree is every path with this prefix.
    #: Collation "C" lets the btree index serve those prefix (LIKE 'x%') queries.
    path: Mapped[str] = mapped_column(String(400, collation="C"), index=True, default="")
    #: Official name, e.g. "Xã Gia Viễn", "Thôn Đông".
    name: Mapped[str] = mapped_column(String(200))
    #: Kind within the level, e.g. "tỉnh", "phường", "xã", "đặc khu", "thôn", "tổ dân phố".
    kind: Mapped[str] = mapped_column(String(40), default="")
    #: Official administrative code (QĐ 19/2025/QĐ-TTg); none for residential areas.
    official_code: Mapped[str | None] = mapped_column(String(20))
    #: First day the unit existed in this shape.
    valid_from: Mapped[dt.date] = mapped_column(Date, default=dt.date(1900, 1, 1))
    #: Day it stopped existing (merged, retired); None while current.
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    #: The unit that took over after a merger.
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    #: Why the unit was retired, in the admin's words.
    retired_reason: Mapped[str | None] = mapped_column(Text)

    level: Mapped[UnitLevel] = relationship(lazy="joined")
    parent: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[parent_id])

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or clock.today()
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p][:-1]


class Organization(TimestampMixin, TenantBase):
    """A Front organization present at the Front units: the committee itself (MTTQ), Hội LHPN,
    Hội Nông dân, Hội CCB, Đoàn TNCS HCM, Công đoàn. Work and figures are keyed by
    (unit, organization)."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Stable code used by manifests and reports: "mttq", "hlhpn", "hnd", "hccb", "doan", "congdoan".
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60))
    #: Enabled in this province (from the manifest).
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Shown first in lists and reports.
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    #: Level codes at which the organization is organized; None means every Front level.
    level_codes: Mapped[list[str] | None] = mapped_column(JSONB)


class TenantRule(TimestampMixin, TenantBase):
    """A local rule of the province's coordination program, as data (from the manifest,
    editable by the tenant admin): report deadlines, response deadlines, suggestion-box rules."""

    __tablename__ = "tenant_rules"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[object] = mapped_column(JSONB)
    #: Where the value comes from and how sure it is, e.g. "seed program, [CONFIRMED]".
    source: Mapped[str] = mapped_column(Text, default="")
    #: Set when an admin changed the value: a later manifest apply does not overwrite it.
    is_overridden: Mapped[bool] = mapped_column(Boolean, default=False)


class UnitSuccessor(TenantBase):
    """Every unit that took over all or part of a retired one (an old commune split between
    several new communes has one row each). `Unit.successor_id` is the primary one: where the
    old unit's records count after it ended."""

    __tablename__ = "unit_successors"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)
    #: The successor the old unit's records roll up to (one per unit).
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Where the link comes from, e.g. "vietnamadminunits 1.0.4".
    source: Mapped[str] = mapped_column(Text, default="")


class DepartmentKind(str, enum.Enum):
    """What a department of a Front committee is (the programme names them as focal points)."""

    democracy_law = "democracy_law"  #: Ban Dân chủ – Pháp luật
    liaison = "liaison"  #: ban, bộ phận liên lạc của một tổ chức thành viên
    other = "other"  #: ban, bộ phận khác


class Department(TimestampMixin, TenantBase):
    """A department of the committee at one unit (Ban DC-PL, an organization's liaison
    department…): the optional owner of cases, supervision activities and reports of that unit."""

    __tablename__ = "unit_departments"
    __table_args__ = (UniqueConstraint("unit_id", "name", name="uq_unit_departments_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[DepartmentKind] = mapped_column(
        string_enum(DepartmentKind, "unit_department_kind", length=30)
    )
    name: Mapped[str] = mapped_column(String(200))
    #: The member organization a liaison department belongs to, when it is one.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    #: False once dissolved: kept for the records it owns, no longer offered in forms.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    organization: Mapped[Organization | None] = relationship(lazy="joined")
