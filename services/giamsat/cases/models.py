"""Cases, their classification catalogue, history, attachments, reporter identities and receipts."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from giamsat.core.db import TenantBase, TimestampMixin, string_enum, utcnow
from giamsat.units.models import Department, Organization, Unit


class Channel(str, enum.Enum):
    """How the information reached the committee (kênh tiếp nhận)."""

    suggestion_box = "suggestion_box"  #: hòm thư góp ý
    in_person = "in_person"  #: trực tiếp tại trụ sở
    dialogue = "dialogue"  #: tại buổi đối thoại
    voter_meeting = "voter_meeting"  #: tiếp xúc cử tri
    phone = "phone"  #: điện thoại
    forwarded = "forwarded"  #: đơn vị khác chuyển đến
    online = "online"  #: biểu mẫu trực tuyến công khai


class CaseKind(str, enum.Enum):
    petition = "petition"  #: phản ánh, kiến nghị
    complaint = "complaint"  #: khiếu nại
    denunciation = "denunciation"  #: tố cáo
    detection = "detection"  #: phát giác
    #: thông tin có nội dung tố cáo (nặc danh, không đủ điều kiện thụ lý — Luật Tố cáo 2018 Điều 25)
    denunciation_info = "denunciation_info"
    other = "other"


class CaseStatus(str, enum.Enum):
    received = "received"  #: đã tiếp nhận
    verifying = "verifying"  #: đang xác minh, phân loại
    awaiting_response = "awaiting_response"  #: đã chuyển cơ quan có thẩm quyền, chờ trả lời
    handled = "handled"  #: Ủy ban MTTQ tự giải quyết
    archived = "archived"  #: lưu hồ sơ (có lý do)
    responded = "responded"  #: đã có trả lời
    closed = "closed"  #: kết thúc
    transferred = "transferred"  #: đã chuyển lên cấp trên / giao xuống cấp dưới (hồ sơ nối tiếp)


class RecipientKind(str, enum.Enum):
    """The competent body a case is forwarded to."""

    party_committee = "party_committee"  #: cấp ủy cùng cấp
    inspection_committee = "inspection_committee"  #: ủy ban kiểm tra của cấp ủy
    authority = "authority"  #: cơ quan nhà nước có thẩm quyền
    peoples_inspection = "peoples_inspection"  #: Ban Thanh tra nhân dân
    front = "front"  #: Ủy ban MTTQ (Mặt trận tự xem xét, giải quyết)


class DeadlineClock(str, enum.Enum):
    working_days = "working_days"  #: ngày làm việc
    calendar_days = "calendar_days"  #: ngày (theo lịch)


class DeadlineStart(str, enum.Enum):
    """The day a deadline counts from."""

    received = "received"  #: ngày tiếp nhận
    forwarded = "forwarded"  #: ngày chuyển
    accepted = "accepted"  #: ngày thụ lý


class ResponseOutcome(str, enum.Enum):
    accepted = "accepted"  #: tiếp thu
    explained = "explained"  #: giải trình
    rejected = "rejected"  #: không tiếp thu


class ReporterMode(str, enum.Enum):
    anonymous = "anonymous"  #: nặc danh — no identity is kept at all
    confidential = "confidential"  #: known to the committee only, never revealed outside it
    open = "open"  #: công khai — still encrypted and masked by default


class ClassificationCategory(TimestampMixin, TenantBase):
    """A tag of the classification catalogue: the 27 TW4 manifestations, the seed's other
    contents and "outside Regulation 124" — data, editable by the tenant admin."""

    __tablename__ = "classification_categories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: "CT-1"…"CT-9", "DD-1"…, "DB-1"…, "NG" (nêu gương), "CV" (công vụ), "CD" (nơi cư trú), "NGOAI".
    code: Mapped[str] = mapped_column(String(20), unique=True)
    #: Group code: "CT", "DD", "DB" (TW4 groups I–III), "KHAC" (other contents), "NGOAI".
    group_code: Mapped[str] = mapped_column(String(20), index=True)
    group_label: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(Text)
    #: "CONFIRMED", "PARTIAL" or "UNCONFIRMED": how sure the wording is (DOMAIN.md §4).
    confidence: Mapped[str] = mapped_column(String(20), default="UNCONFIRMED")
    source: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Changed by an admin: a later catalogue seed leaves it alone.
    is_overridden: Mapped[bool] = mapped_column(Boolean, default=False)


class DeadlineRule(TimestampMixin, TenantBase):
    """How long the recipient has to answer one kind of case, by the law that applies — data
    seeded from `data/deadlines.toml`, editable by the tenant admin (see `cases.deadlines`)."""

    __tablename__ = "deadline_rules"
    __table_args__ = (
        UniqueConstraint("recipient_kind", "case_kind", name="uq_deadline_rules_kinds"),
        CheckConstraint("days > 0", name="days_positive"),
        CheckConstraint("extension_days >= 0 AND max_extensions >= 0", name="extensions_valid"),
        CheckConstraint("reminder_days >= 0", name="reminder_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_kind: Mapped[RecipientKind] = mapped_column(
        string_enum(RecipientKind, "recipient_kind")
    )
    case_kind: Mapped[CaseKind] = mapped_column(string_enum(CaseKind, "case_kind"))
    #: The rule's name as the case page shows it, e.g. "Luật Tố cáo 2018, Điều 30".
    law: Mapped[str] = mapped_column(String(300))
    clock: Mapped[DeadlineClock] = mapped_column(string_enum(DeadlineClock, "deadline_clock"))
    days: Mapped[int] = mapped_column(Integer)
    start: Mapped[DeadlineStart] = mapped_column(string_enum(DeadlineStart, "deadline_start"))
    #: Each extension (gia hạn) for a complex case adds this many days, at most this often.
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    max_extensions: Mapped[int] = mapped_column(Integer, default=0)
    #: Days (of the rule's clock) before the due date when the unit is reminded.
    reminder_days: Mapped[int] = mapped_column(Integer, default=3)
    #: "CONFIRMED", "PARTIAL" or "UNCONFIRMED" (DOMAIN.md's markers), and where it comes from.
    confidence: Mapped[str] = mapped_column(String(20), default="UNCONFIRMED")
    source: Mapped[str] = mapped_column(Text, default="")
    #: Changed by an admin: a later seed leaves it alone.
    is_overridden: Mapped[bool] = mapped_column(Boolean, default=False)


class CaseTag(TenantBase):
    __tablename__ = "case_tags"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("classification_categories.id"), primary_key=True, index=True
    )


#: The words a case is searched by; the same expression feeds the trigram index.
SEARCH_TEXT = literal_column("title || ' ' || content || ' ' || concerned")


class Case(TimestampMixin, TenantBase):
    """One piece of information received by a unit (hồ sơ tiếp nhận thông tin)."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("unit_id", "year", "seq", name="uq_cases_number"),
        Index("ix_cases_unit_status", "unit_id", "status"),
        # The queue's order: first pages walk cases in page order and stop (migration 0014).
        Index("ix_cases_received_order", text("received_on DESC"), text("id DESC")),
        Index("ix_cases_unit_received_order", "unit_id", text("received_on DESC"), text("id DESC")),
        # A status filter (and "overdue": awaiting, due_on checked inside the index) walks only
        # that status in page order (migration 0022).
        Index(
            "ix_cases_status_received_order",
            "status",
            text("received_on DESC"),
            text("id DESC"),
            "due_on",
        ),
        CheckConstraint("seq > 0", name="seq_positive"),
        # Accent-insensitive trigram search, one index per ranked tier (migration 0020).
        *(
            Index(
                f"ix_cases_{column}",
                column,
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )
            for column in ("search_title", "search_concerned", "search_text")
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The unit that holds the case (its queue). Scoping goes through this column.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    #: Organization at that unit that received it (MTTQ itself, Hội LHPN…).
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    #: The committee's department that owns it (Ban DC-PL…), of the same unit; optional.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("unit_departments.id"), index=True)
    #: Running number per unit and year: shown as "seq/year".
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[Channel] = mapped_column(string_enum(Channel, "case_channel"))
    kind: Mapped[CaseKind] = mapped_column(string_enum(CaseKind, "case_kind"))
    #: Short title: the only content that may appear in a notification or an email.
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    #: People or organizations the information is about (free text until the register links).
    concerned: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CaseStatus] = mapped_column(
        string_enum(CaseStatus, "case_status"), default=CaseStatus.received, index=True
    )
    is_complex: Mapped[bool] = mapped_column(Boolean, default=False)
    reporter_mode: Mapped[ReporterMode] = mapped_column(
        string_enum(ReporterMode, "reporter_mode"), default=ReporterMode.anonymous
    )
    #: Forwarding (chuyển cơ quan có thẩm quyền) and the answer expected.
    recipient_kind: Mapped[RecipientKind | None] = mapped_column(
        string_enum(RecipientKind, "recipient_kind")
    )
    recipient_name: Mapped[str | None] = mapped_column(String(300))
    forwarded_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Due date of the answer, counted in working days from the tenant's rules.
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    #: The deadline rule that set `due_on` (None for due dates older than the table), and
    #: what it said then: the rule, the count and its source, as the case page shows it.
    deadline_rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("deadline_rules.id", ondelete="SET NULL")
    )
    deadline_basis: Mapped[str | None] = mapped_column(Text)
    response_outcome: Mapped[ResponseOutcome | None] = mapped_column(
        string_enum(ResponseOutcome, "response_outcome")
    )
    response_text: Mapped[str | None] = mapped_column(Text)
    responded_on: Mapped[dt.date | None] = mapped_column(Date)
    #: What the committee says publicly (shown to the sender through the receipt code).
    public_answer: Mapped[str | None] = mapped_column(Text)
    archive_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: The case this one continues (escalated up or assigned down from another unit).
    origin_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    #: Set when this case went on to another unit (status "transferred").
    next_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    #: Residential area the information comes from, when known (suggestion boxes…).
    area_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    #: Folded (`shared.fold`: lower case, no accents) words the search matches and ranks by,
    #: stored by PostgreSQL from the columns above so they cannot drift; deferred: a list
    #: never needs them in Python. `search_text` is every word, other domains' text included.
    search_title: Mapped[str] = mapped_column(Text, Computed("shared.fold(title)"), deferred=True)
    search_concerned: Mapped[str] = mapped_column(
        Text, Computed("shared.fold(concerned)"), deferred=True
    )
    #: Folded text other domains hold about the case, written by them (letters: the OCR text
    #: of its pages, `letters.case_text.refresh_search_extra`).
    search_extra: Mapped[str] = mapped_column(Text, default="", server_default="", deferred=True)
    search_text: Mapped[str] = mapped_column(
        Text,
        Computed(f"shared.fold({SEARCH_TEXT.name}) || ' ' || search_extra"),
        deferred=True,
    )

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id], lazy="joined")
    organization: Mapped[Organization | None] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship()
    tags: Mapped[list[ClassificationCategory]] = relationship(
        secondary="case_tags", lazy="selectin", order_by="ClassificationCategory.sort_order"
    )

    @property
    def number(self) -> str:
        return f"{self.seq}/{self.year}"


class CaseEvent(TenantBase):
    """Append-only handling history: who, when, from → to, why. A trigger refuses changes."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_label: Mapped[str] = mapped_column(String(120))
    #: "receive", "verify", "forward", "handle", "archive", "respond", "close", "reopen",
    #: "escalate", "assign", "tag", "attach", "public_note"…
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
    #: Non-identifying details (recipient, due date, linked case id…). Never reporter data.
    details: Mapped[dict] = mapped_column(JSONB, default=dict)


class CaseAttachment(TimestampMixin, TenantBase):
    """A file of a case in the tenant's bucket; the original name lives only here."""

    __tablename__ = "case_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    #: Server-generated object key (never derived from the file name).
    object_key: Mapped[str] = mapped_column(String(300), unique=True)
    original_name: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    #: "intake", "response", "evidence"…
    purpose: Mapped[str] = mapped_column(String(30), default="intake")
    uploaded_by_id: Mapped[int | None] = mapped_column(Integer)


class DataKey(TimestampMixin, TenantBase):
    """A tenant data key (AES-256), stored only wrapped by a master key from configuration."""

    __tablename__ = "data_keys"
    __table_args__ = (
        # At most one active data key per tenant, guaranteed by the database.
        Index(
            "uq_data_keys_one_active", "is_active", unique=True, postgresql_where=text("is_active")
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Which master key wrapped it (several may be configured during a rotation).
    master_key_id: Mapped[str] = mapped_column(String(40))
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    #: The key new identities are encrypted with: exactly one is active.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ReporterIdentity(TimestampMixin, TenantBase):
    """Who reported (name, contact, address), encrypted at rest, apart from the case.

    Absent for anonymous reports. Decrypted only by `cases.protection`."""

    __tablename__ = "reporter_identities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    data_key_id: Mapped[int] = mapped_column(ForeignKey("data_keys.id"))
    #: nonce || AES-GCM ciphertext of a JSON object {name, contact, address}; the case id is
    #: bound as associated data so a row can't be moved to another case.
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)


class CaseReceipt(TenantBase):
    """The receipt code a public online sender follows their case with (stored hashed)."""

    __tablename__ = "case_receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class CaseCounter(TenantBase):
    """Next running number per (unit, year); a row lock makes numbers gap-free under concurrency."""

    __tablename__ = "case_counters"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
