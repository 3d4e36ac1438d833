"""Report periods, the indicator catalogue, stored figures, reports and their history."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from giamsat.core.db import TenantBase, TimestampMixin, string_enum, utcnow
from giamsat.units.models import Department, Organization, Unit


class PeriodKind(str, enum.Enum):
    quarterly = "quarterly"  #: báo cáo quý
    six_monthly = "six_monthly"  #: báo cáo 6 tháng
    yearly = "yearly"  #: báo cáo năm
    ad_hoc = "ad_hoc"  #: báo cáo đột xuất, theo yêu cầu của cấp trên


class ReportStatus(str, enum.Enum):
    draft = "draft"  #: dự thảo
    submitted = "submitted"  #: đã gửi, chờ cấp trên tiếp nhận
    returned = "returned"  #: cấp trên trả lại (có lý do), cần sửa và gửi lại
    accepted = "accepted"  #: cấp trên đã tiếp nhận — bản chụp cố định, không sửa được


class FigureSource(str, enum.Enum):
    computed = "computed"  #: tính từ hồ sơ trong hệ thống
    manual = "manual"  #: nhập tay (việc không ghi nhận trong hệ thống)


class ReportPeriod(TimestampMixin, TenantBase):
    """A reporting period (kỳ báo cáo): the window of records it covers and its deadline.

    Regular periods are generated per year from the tenant rules; ad hoc ones are requested by a
    higher unit with their own window and due date."""

    __tablename__ = "report_periods"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="window_order"),
        CheckConstraint(
            "(kind = 'ad_hoc') = (requested_by_unit_id IS NOT NULL)", name="ad_hoc_has_requester"
        ),
        # One quarterly Q1 2026, one yearly 2026… (ad hoc periods are many).
        Index(
            "uq_report_periods_regular",
            "kind",
            "year",
            "number",
            unique=True,
            postgresql_where=text("kind <> 'ad_hoc'"),
        ),
        Index("ix_report_periods_window", "starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[PeriodKind] = mapped_column(string_enum(PeriodKind, "report_period_kind"))
    #: The year the period belongs to (a yearly period 15/12/2025–14/12/2026 is 2026).
    year: Mapped[int] = mapped_column(SmallInteger)
    #: Quarter 1–4, half 1, 1 for a year; running number for ad hoc periods.
    number: Mapped[int] = mapped_column(SmallInteger, default=1)
    #: "Quý I năm 2026", "6 tháng đầu năm 2026", or the ad hoc request's title.
    title: Mapped[str] = mapped_column(String(300))
    #: First and last day of the records the figures cover (cut-off convention from the rules).
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    #: Last day a report is on time ("trước ngày 20" → the 19th).
    due_on: Mapped[dt.date] = mapped_column(Date)
    #: Ad hoc only: the higher unit that asked, its request text and who asked.
    requested_by_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    request_note: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(Integer)

    requested_by_unit: Mapped[Unit | None] = relationship(lazy="joined")

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Indicator(TimestampMixin, TenantBase):
    """One row of the indicator catalogue (chỉ tiêu), seeded from `reports/data/indicators.toml`.

    `computation` names a registered computation over the records ("cases.received" with an
    optional `argument`), or is "manual" for work the system does not record."""

    __tablename__ = "report_indicators"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    #: "activities", "intake", "handling", "outcomes".
    group_code: Mapped[str] = mapped_column(String(30), index=True)
    label: Mapped[str] = mapped_column(String(300))
    #: Đơn vị tính: "cuộc", "lượt người", "người", "ý kiến", "vụ việc", "hòm thư"…
    unit_of_measure: Mapped[str] = mapped_column(String(40))
    computation: Mapped[str] = mapped_column(String(80))
    #: Which slice of the computation's keyed result this indicator is (e.g. a channel); empty
    #: means the sum over every key.
    argument: Mapped[str] = mapped_column(String(80), default="")
    #: How the figure is obtained, in plain words, shown beside it (traceability).
    method: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Changed by an admin: a later seed leaves it alone.
    is_overridden: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def is_manual(self) -> bool:
        return self.computation == "manual"


class Figure(TenantBase):
    """The live figures of one (period, unit, organization), computed from the records: own
    (records attributed to the unit) and consolidated (own + children's consolidated, along the
    tree as it was at the period's end). Manual indicators are never here: they live in reports
    as hand entries (FigureSource.manual).

    One row holds every indicator as a JSON map {code: value}: a province read is one row, and a
    full recompute writes one row per (unit, organization), not one per indicator. Zero values
    are left out of the maps. `organization_id` NULL is the whole unit (every organization and
    records without one)."""

    __tablename__ = "report_figures"
    __table_args__ = (
        UniqueConstraint(
            "period_id",
            "unit_id",
            "organization_id",
            name="uq_report_figures_key",
            postgresql_nulls_not_distinct=True,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("report_periods.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    own: Mapped[dict] = mapped_column(JSONB, default=dict)
    consolidated: Mapped[dict] = mapped_column(JSONB, default=dict)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: `figure_digest.digest(own, consolidated)` as last written; NULL when not known (the row
    #: is then rewritten by the next recompute). Every write of the figures writes it too.
    digest: Mapped[int | None] = mapped_column(BigInteger)


class ProvinceSummary(TenantBase):
    """Completeness and timeliness of one regular period at the province, maintained by the
    review operations and the period recomputes (`reports.province_summary`): what the central
    committee's national view reads, with the province unit's figures, and nothing below.

    Pending and missing are not stored: they depend on the day, so a reader splits
    `not_submitted` against the period's due date."""

    __tablename__ = "report_province_summaries"

    period_id: Mapped[int] = mapped_column(
        ForeignKey("report_periods.id", ondelete="CASCADE"), primary_key=True
    )
    #: The province unit (the root of the tree) the summary is of.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    #: Front units below the province that report in this period (residential areas do not).
    expected: Mapped[int] = mapped_column(Integer)
    submitted: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[int] = mapped_column(Integer)
    late: Mapped[int] = mapped_column(Integer)
    accepted: Mapped[int] = mapped_column(Integer)
    not_submitted: Mapped[int] = mapped_column(Integer)
    #: The province's own whole-unit report: a ReportStatus value, or "missing".
    province_status: Mapped[str] = mapped_column(String(20))
    province_is_late: Mapped[bool | None] = mapped_column(Boolean)
    province_submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Report(TimestampMixin, TenantBase):
    """The report of one (unit, organization) for one period (báo cáo kết quả giám sát).

    `organization_id` NULL is the unit's consolidated report (the Front committee's); otherwise
    the report of that organization at that unit."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint(
            "period_id",
            "unit_id",
            "organization_id",
            name="uq_reports_key",
            postgresql_nulls_not_distinct=True,
        ),
        Index("ix_reports_period_status", "period_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("report_periods.id"))
    #: The reporting unit; scoping goes through this column.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    #: The committee's department that owns it (Ban DC-PL…), of the same unit; optional.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("unit_departments.id"))
    status: Mapped[ReportStatus] = mapped_column(
        string_enum(ReportStatus, "report_status"), default=ReportStatus.draft
    )
    #: Narrative sections (see labels.NARRATIVE).
    situation: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    limitations: Mapped[str] = mapped_column(Text, default="")
    directions: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    #: Số, ký hiệu of the document (e.g. "12/BC-MTTQ"), for the DOCX export.
    document_number: Mapped[str] = mapped_column(String(60), default="")
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signer_title: Mapped[str] = mapped_column(String(200), default="")
    #: First submission: what on time / late is judged on (a resubmission keeps it).
    first_submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by_id: Mapped[int | None] = mapped_column(Integer)
    is_late: Mapped[bool | None] = mapped_column(Boolean)
    returned_reason: Mapped[str] = mapped_column(Text, default="")
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_by_id: Mapped[int | None] = mapped_column(Integer)
    #: The frozen snapshot taken at acceptance: figures, narrative, sources — never changes.
    snapshot: Mapped[dict | None] = mapped_column(JSONB)
    #: Bumped on every change: the API's ETag and a guard against lost updates.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(Integer)

    period: Mapped[ReportPeriod] = relationship(lazy="joined")
    unit: Mapped[Unit] = relationship(lazy="joined")
    organization: Mapped[Organization | None] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship()
    entries: Mapped[list[ReportEntry]] = relationship(
        back_populates="report",
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="ReportEntry.indicator_code",
    )

    @property
    def is_frozen(self) -> bool:
        return self.status == ReportStatus.accepted

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.draft, ReportStatus.returned)


class ReportEntry(TenantBase):
    """One figure of a report: the value reported, what the system computed, and whether a
    person entered it by hand (marked in the report and its exports)."""

    __tablename__ = "report_entries"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    indicator_code: Mapped[str] = mapped_column(
        ForeignKey("report_indicators.code"), primary_key=True
    )
    value: Mapped[int] = mapped_column(Integer, default=0)
    #: The prefilled figure (None for manual indicators): kept beside a hand entry so the
    #: difference stays visible.
    computed_value: Mapped[int | None] = mapped_column(Integer)
    #: The value comes from a person, not from the records.
    is_manual: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Why a hand entry differs, or where it comes from.
    note: Mapped[str] = mapped_column(Text, default="")

    report: Mapped[Report] = relationship(back_populates="entries")


class ReportEvent(TenantBase):
    """History of a report: created, edited, submitted, returned (with reason), accepted."""

    __tablename__ = "report_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_label: Mapped[str] = mapped_column(String(120))
    #: "create", "edit", "refresh", "submit", "withdraw", "return", "accept".
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)


class ExportStatus(str, enum.Enum):
    queued = "queued"  #: đang chờ
    running = "running"  #: đang tạo
    done = "done"  #: đã xong
    failed = "failed"  #: lỗi


class ReportExport(TimestampMixin, TenantBase):
    """A DOCX/XLSX file generated by a job for a large consolidation, with its progress."""

    __tablename__ = "report_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The unit whose report or consolidation it is; scoping goes through this column.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("report_periods.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    #: "docx" or "xlsx".
    format: Mapped[str] = mapped_column(String(10))
    status: Mapped[ExportStatus] = mapped_column(
        string_enum(ExportStatus, "report_export_status"), default=ExportStatus.queued
    )
    #: 0–100, shown as a progress bar.
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)
    object_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    file_name: Mapped[str] = mapped_column(String(300), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(Integer)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


# The yearly review's tables belong to this domain's schema too (one metadata, one place that
# loads every table of the domain).
from giamsat.reports.yearly_review.models import (  # noqa: E402, F401
    ReviewSection,
    YearlyReview,
    YearlyReviewText,
)
