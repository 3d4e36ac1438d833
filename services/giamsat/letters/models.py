"""Suggestion boxes (hòm thư góp ý), their openings (mở hòm thư) and the scanned letters found."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from giamsat.cases.models import Case
from giamsat.core.db import TenantBase, TimestampMixin, string_enum, utcnow
from giamsat.units.models import Unit


class BoxStatus(str, enum.Enum):
    active = "active"  #: đang sử dụng
    removed = "removed"  #: đã thu hồi
    damaged = "damaged"  #: hư hỏng


class SealCondition(str, enum.Enum):
    intact = "intact"  #: niêm phong còn nguyên
    broken = "broken"  #: niêm phong bị rách / mở
    none = "none"  #: không niêm phong


class OcrStatus(str, enum.Enum):
    queued = "queued"  #: chờ nhận dạng chữ
    done = "done"
    failed = "failed"  #: lỗi (see ocr_error); retried with backoff
    unavailable = "unavailable"  #: tesseract not installed: the letter is kept, just not read


class SuggestionBox(TimestampMixin, TenantBase):
    """A suggestion box hung in one residential area (khu dân cư)."""

    __tablename__ = "suggestion_boxes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The residential area: scoping column (its commune sees it through the subtree).
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    #: Printed on the QR label, e.g. "HT-00042"; unique in the tenant.
    label_code: Mapped[str] = mapped_column(String(40), unique=True)
    location: Mapped[str] = mapped_column(String(300))
    #: Who keeps the box and its key (default: the tenant rule `box_key_holder`).
    keeper: Mapped[str] = mapped_column(String(200))
    installed_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[BoxStatus] = mapped_column(
        string_enum(BoxStatus, "suggestion_box_status"), default=BoxStatus.active
    )
    notes: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit] = relationship(lazy="joined")


class BoxOpening(TimestampMixin, TenantBase):
    """One opening of a box (mở hòm thư) with its witnesses and minutes (biên bản)."""

    __tablename__ = "box_openings"
    __table_args__ = (
        CheckConstraint("letters_found >= 0", name="letters_found_not_negative"),
        Index("ix_box_openings_box_opened", "box_id", "opened_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("suggestion_boxes.id"))
    #: The box's residential area at the time (scoping column).
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: [{"name": "…", "role": "…"}, …] in the order they sign the minutes.
    witnesses: Mapped[list] = mapped_column(JSONB, default=list)
    seal_condition: Mapped[SealCondition] = mapped_column(
        string_enum(SealCondition, "box_seal_condition")
    )
    letters_found: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: The DOCX minutes in the tenant bucket; written once, never regenerated (it is the record).
    minutes_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    minutes_sha256: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(Integer)

    box: Mapped[SuggestionBox] = relationship(lazy="joined")


class Letter(TimestampMixin, TenantBase):
    """A scanned letter found at an opening; it is a case of the commune (channel suggestion_box).

    Rows are never edited in their files: a rescan is a new row with `version + 1` on the same
    case, pointing at the one it replaces."""

    __tablename__ = "letters"
    __table_args__ = (
        UniqueConstraint("case_id", "version", name="uq_letters_case_version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("box_openings.id"), index=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("suggestion_boxes.id"), index=True)
    #: The commune that holds the case (scoping column, like cases.unit_id).
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    ocr_status: Mapped[OcrStatus] = mapped_column(
        string_enum(OcrStatus, "letter_ocr_status"), default=OcrStatus.queued, index=True
    )
    ocr_error: Mapped[str | None] = mapped_column(Text)
    ocr_attempts: Mapped[int] = mapped_column(Integer, default=0)
    ocr_finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    uploaded_by_id: Mapped[int | None] = mapped_column(Integer)

    case: Mapped[Case] = relationship(lazy="joined")
    opening: Mapped[BoxOpening] = relationship(lazy="joined")
    files: Mapped[list[LetterFile]] = relationship(
        lazy="selectin", order_by="LetterFile.position", back_populates="letter"
    )


class LetterFile(TenantBase):
    """One uploaded file of a letter as stored (images re-encoded without metadata)."""

    __tablename__ = "letter_files"
    __table_args__ = (UniqueConstraint("letter_id", "position", name="uq_letter_files_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    #: Server-generated key (never derived from the name); downloads go through ids only.
    object_key: Mapped[str] = mapped_column(String(300), unique=True)
    original_name: Mapped[str] = mapped_column(String(300))
    #: Sniffed from the bytes: image/jpeg, image/png, image/tiff or application/pdf.
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    #: Of the stored bytes (after metadata stripping).
    sha256: Mapped[str] = mapped_column(String(64))
    page_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )

    letter: Mapped[Letter] = relationship(back_populates="files")
    pages: Mapped[list[LetterPage]] = relationship(
        lazy="selectin", order_by="LetterPage.page_number"
    )


class LetterPage(TenantBase):
    """A page of a letter file: thumbnail and OCR text (filled by the OCR job)."""

    __tablename__ = "letter_pages"
    __table_args__ = (
        UniqueConstraint("file_id", "page_number", name="uq_letter_pages_number"),
        # Trigram search over the folded text (a plain column: no expression index to drift).
        Index(
            "ix_letter_pages_search",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Denormalized from the file so the cases search can ask EXISTS on one table.
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("letter_files.id"), index=True)
    #: 1-based within the file.
    page_number: Mapped[int] = mapped_column(Integer)
    thumbnail_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    text: Mapped[str | None] = mapped_column(Text)
    #: `shared.fold(text)`: lower case, no accents — what the cases search matches against.
    search_text: Mapped[str | None] = mapped_column(Text)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    dpi: Mapped[int | None] = mapped_column(Integer)


class PendingUpload(TenantBase):
    """Objects an upload is about to write, committed BEFORE writing them.

    The upload deletes the row in the same transaction as its letter rows; a crash in between
    leaves the row, and the periodic cleanup deletes its objects and the row."""

    __tablename__ = "pending_uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    object_keys: Mapped[list] = mapped_column(JSONB, default=list)
    purpose: Mapped[str] = mapped_column(String(40), default="letters")
    user_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), index=True
    )
