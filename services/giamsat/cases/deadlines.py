"""Answer deadlines by the law that applies, as data: seeded from `data/deadlines.toml` (with
sources and DOMAIN.md's confidence markers), edited by the tenant admin, applied at forwarding.

A due date is counted on the rule's clock (working days on the tenant's calendar — national
holidays and the province's `days_off` — or calendar days) from the rule's start day; a complex
case gets one extension. The case keeps the rule's id and the sentence that explains its date."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from giamsat.cases.labels import CLOCK_LABELS, KIND_LABELS, RECIPIENT_LABELS, START_LABELS
from giamsat.cases.models import (
    Case,
    CaseEvent,
    CaseKind,
    DeadlineClock,
    DeadlineRule,
    DeadlineStart,
    RecipientKind,
)
from giamsat.core import audit
from giamsat.core.errors import Conflict, Forbidden, NotFound
from giamsat.core.validation import Errors
from giamsat.units.queries import work_calendar

DEADLINES_FILE = Path(__file__).parent / "data" / "deadlines.toml"
CONFIDENCE_LEVELS = ("CONFIRMED", "PARTIAL", "UNCONFIRMED")
MAX_LAW, MAX_SOURCE = 300, 2000
#: Bounds of the editable numbers (a deadline of more than a year is a typing mistake).
MAX_DAYS, MAX_EXTENSIONS = 365, 5
#: The fields of a row the tenant admin edits, as `update_rule` takes them.
EDITABLE = (
    "law",
    "clock",
    "days",
    "start",
    "extension_days",
    "max_extensions",
    "reminder_days",
    "confidence",
    "source",
)


@dataclass(frozen=True)
class RuleSeed:
    recipient_kind: RecipientKind
    case_kind: CaseKind
    law: str
    clock: DeadlineClock
    days: int
    start: DeadlineStart
    extension_days: int
    max_extensions: int
    reminder_days: int
    confidence: str
    source: str

    def values(self) -> dict:
        return {name: getattr(self, name) for name in EDITABLE}


@lru_cache(maxsize=1)
def load_seed(path: Path = DEADLINES_FILE) -> tuple[RuleSeed, ...]:
    """One seed per (recipient kind, case kind), every pair exactly once; a malformed file
    fails loudly (it ships with the code)."""
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    seeds: dict[tuple[RecipientKind, CaseKind], RuleSeed] = {}
    for item in raw["rule"]:
        if item["confidence"] not in CONFIDENCE_LEVELS:
            raise ValueError(f"{item['law']}: confidence must be one of {CONFIDENCE_LEVELS}")
        marker = f"[{item['confidence']}]"
        if marker not in item["source"]:
            raise ValueError(f"{item['law']}: the source must carry its marker {marker}")
        for kind in item["case_kinds"]:
            key = (RecipientKind(item["recipient"]), CaseKind(kind))
            if key in seeds:
                raise ValueError(f"deadline rule {key} is listed twice")
            seeds[key] = RuleSeed(
                recipient_kind=key[0],
                case_kind=key[1],
                law=item["law"],
                clock=DeadlineClock(item["clock"]),
                days=item["days"],
                start=DeadlineStart(item["start"]),
                extension_days=item["extension_days"],
                max_extensions=item["max_extensions"],
                reminder_days=item["reminder_days"],
                confidence=item["confidence"],
                source=" ".join(item["source"].split()),
            )
    missing = [(r, k) for r in RecipientKind for k in CaseKind if (r, k) not in seeds]
    if missing:
        raise ValueError(f"deadline rules missing for {missing}")
    return tuple(seeds.values())


def provision_tenant(session: Session, progress: Callable[[str], None] = lambda line: None) -> int:
    """Add missing rows and refresh untouched ones; rows an admin changed stay as they are.

    Idempotent. Returns how many rows were added or updated. Flushes only."""
    existing = {(r.recipient_kind, r.case_kind): r for r in session.scalars(select(DeadlineRule))}
    changed = 0
    for seed in load_seed():
        row = existing.get((seed.recipient_kind, seed.case_kind))
        if row is None:
            session.add(
                DeadlineRule(
                    recipient_kind=seed.recipient_kind,
                    case_kind=seed.case_kind,
                    is_overridden=False,
                    **seed.values(),
                )
            )
            changed += 1
        elif not row.is_overridden and any(getattr(row, k) != v for k, v in seed.values().items()):
            for key, value in seed.values().items():
                setattr(row, key, value)
            changed += 1
    session.flush()
    progress(f"      deadline rules: {changed} added or updated")
    return changed


def list_rules(session: Session) -> list[DeadlineRule]:
    order = {kind: i for i, kind in enumerate(RecipientKind)} | {
        kind: i for i, kind in enumerate(CaseKind)
    }
    rows = session.scalars(select(DeadlineRule)).all()
    return sorted(rows, key=lambda r: (order[r.recipient_kind], order[r.case_kind]))


def rule_for(session: Session, recipient: RecipientKind, kind: CaseKind) -> DeadlineRule:
    """The tenant's rule for this recipient and kind of case (the table is seeded on first use
    for a tenant provisioned before it existed)."""
    stmt = select(DeadlineRule).where(
        DeadlineRule.recipient_kind == recipient, DeadlineRule.case_kind == kind
    )
    rule = session.scalars(stmt).one_or_none()
    if rule is None:
        provision_tenant(session)
        rule = session.scalars(stmt).one_or_none()
    if rule is None:  # pragma: no cover - the seed covers every pair
        raise Conflict("Chưa có thời hạn trả lời cho loại cơ quan nhận và loại thông tin này.")
    return rule


def extensions_used(session: Session, case: Case) -> int:
    """Extensions already in the due date: the one a complex case gets at forwarding, and each
    recorded "extend" since."""
    rule = session.get(DeadlineRule, case.deadline_rule_id) if case.deadline_rule_id else None
    at_forward = 1 if case.is_complex and rule is not None and rule.max_extensions > 0 else 0
    later = session.scalar(
        select(func.count())
        .select_from(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.action == "extend")
    )
    return at_forward + (later or 0)


def can_extend(session: Session, case: Case) -> bool:
    """Whether the case's rule allows one more extension."""
    rule = session.get(DeadlineRule, case.deadline_rule_id) if case.deadline_rule_id else None
    return (
        rule is not None
        and rule.extension_days > 0
        and case.due_on is not None
        and extensions_used(session, case) < rule.max_extensions
    )


def extended_due_on(session: Session, rule: DeadlineRule, due_on: dt.date) -> dt.date:
    """`due_on` pushed by one extension, on the rule's clock."""
    if rule.clock == DeadlineClock.working_days:
        return work_calendar(session).add_working_days(due_on, rule.extension_days)
    return due_on + dt.timedelta(days=rule.extension_days)


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date
    days: int
    start_day: dt.date
    #: The sentence the case page shows: the rule, the count, the start and the source.
    basis: str


def compute(
    session: Session,
    rule: DeadlineRule,
    *,
    received_on: dt.date,
    forwarded_on: dt.date,
    accepted_on: dt.date | None = None,
    is_complex: bool = False,
) -> Deadline:
    extensions = min(1, rule.max_extensions) if is_complex else 0
    days = rule.days + extensions * rule.extension_days
    start_label = str(START_LABELS[rule.start])
    if rule.start == DeadlineStart.received:
        start = received_on
    elif rule.start == DeadlineStart.forwarded:
        start = forwarded_on
    elif accepted_on is not None:
        start = accepted_on
    else:
        start = forwarded_on
        start_label = f"ngày chuyển (chưa có {start_label}, tạm tính)"
    if rule.clock == DeadlineClock.working_days:
        due = work_calendar(session).add_working_days(start, days)
    else:
        due = start + dt.timedelta(days=days)
    extended = " (vụ việc phức tạp: đã gia hạn một lần)" if extensions else ""
    basis = (
        f"{rule.law}: {days} {CLOCK_LABELS[rule.clock]} kể từ {start_label} "
        f"{start:%d/%m/%Y}{extended}. Nguồn: {rule.source}"
    )
    return Deadline(due_on=due, days=days, start_day=start, basis=basis)


def describe(rule: DeadlineRule) -> str:
    """One line for lists: "Cấp ủy cùng cấp — Tố cáo"."""
    return f"{RECIPIENT_LABELS[rule.recipient_kind]} — {KIND_LABELS[rule.case_kind]}"


def _whole(errors: Errors, value, field: str, label: str, low: int, high: int) -> int | None:
    if isinstance(value, str):
        value = value.strip()
        value = int(value) if value.isdigit() else value
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.add(field, f"{label} phải là số nguyên từ {low} đến {high}.")
        return None
    return value


def update_rule(session: Session, principal, rule_id: int, **values) -> DeadlineRule:
    """Change a row of the table (tenant admin only): marks it overridden, audited."""
    if not principal.is_tenant_admin:
        raise Forbidden("Chỉ quản trị viên của tỉnh được sửa bảng thời hạn trả lời.")
    rule = session.get(DeadlineRule, rule_id)
    if rule is None:
        raise NotFound("Không tìm thấy dòng này trong bảng thời hạn.")
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    merged = {name: values.get(name, getattr(rule, name)) for name in EDITABLE}
    errors = Errors()
    law = errors.text(merged["law"], "law", label="Tên quy định", max_length=MAX_LAW)
    if law == "":
        errors.add("law", "Hãy ghi tên quy định áp dụng (ví dụ: Luật Tố cáo 2018, Điều 30).")
    clock = errors.choice(
        DeadlineClock,
        merged["clock"],
        "clock",
        message="Hãy chọn cách tính: ngày làm việc hoặc ngày theo lịch.",
    )
    start = errors.choice(
        DeadlineStart,
        merged["start"],
        "start",
        message="Hãy chọn ngày bắt đầu tính: ngày tiếp nhận, ngày chuyển hoặc ngày thụ lý.",
    )
    days = _whole(errors, merged["days"], "days", "Số ngày", 1, MAX_DAYS)
    extension_days = _whole(
        errors, merged["extension_days"], "extension_days", "Số ngày gia hạn", 0, MAX_DAYS
    )
    max_extensions = _whole(
        errors, merged["max_extensions"], "max_extensions", "Số lần gia hạn", 0, MAX_EXTENSIONS
    )
    reminder_days = _whole(
        errors, merged["reminder_days"], "reminder_days", "Số ngày nhắc trước hạn", 0, MAX_DAYS
    )
    if days is not None and reminder_days is not None and reminder_days >= days:
        errors.add("reminder_days", "Số ngày nhắc trước hạn phải nhỏ hơn số ngày của thời hạn.")
    if extension_days is not None and max_extensions is not None:
        if bool(extension_days) != bool(max_extensions):
            errors.add(
                "extension_days",
                "Số ngày gia hạn và số lần gia hạn phải cùng bằng 0 hoặc cùng lớn hơn 0.",
            )
    confidence = merged["confidence"]
    if confidence not in CONFIDENCE_LEVELS:
        errors.add("confidence", "Hãy chọn mức xác nhận: đã xác nhận, một phần hoặc chưa xác nhận.")
    source = errors.text(merged["source"], "source", label="Nguồn", max_length=MAX_SOURCE)
    if source == "":
        errors.add("source", "Hãy ghi nguồn của thời hạn (văn bản, điều khoản, nơi tra cứu).")
    errors.raise_if_any()
    before = audit.snapshot(rule)
    rule.law, rule.clock, rule.start, rule.source = law, clock, start, source
    rule.days, rule.extension_days = days, extension_days
    rule.max_extensions, rule.reminder_days = max_extensions, reminder_days
    rule.confidence = confidence
    changes = audit.diff(before, audit.snapshot(rule))
    if changes:
        rule.is_overridden = True
        session.flush()
        audit.record(
            session,
            principal,
            action="update",
            object_type="deadline_rule",
            object_id=rule.id,
            changes=audit.diff(before, audit.snapshot(rule)),
        )
    return rule
