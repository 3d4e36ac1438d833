"""The tenant admin changes a local rule in the app: checked like the manifest, audited, kept.

A rule changed here is marked `is_overridden`; `tenants apply` leaves such a rule alone and
only sets the rules nobody has edited (units.provisioning.apply_rules). `release_rule` hands
a rule back to the manifest. The checks are the domains' own `RuleSpec`s, passed in by the
caller (this layer does not know the registry); their English problems become Vietnamese here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.core.audit import AuditEntry
from giamsat.core.errors import Forbidden, NotFound
from giamsat.core.rules import CONFIDENCE_LEVELS, RuleSpec, confidence_of, with_confidence
from giamsat.core.validation import Errors
from giamsat.units.models import TenantRule

#: The audit object type of rules, shared with the manifest apply (one history for both).
OBJECT_TYPE = "tenant_rule"
MAX_SOURCE = 500
ONLY_ADMIN = "Chỉ quản trị viên của tỉnh được sửa quy định của tỉnh."

#: The checks' English problems (core.rules, units.rules) in the page's words.
_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"^must be a positive integer$", "Hãy nhập một số nguyên dương, ví dụ 20."),
        (r"^must be a whole number, 0 or more$", "Hãy nhập một số nguyên từ 0 trở lên."),
        (r"^must be true or false$", "Hãy chọn Có hoặc Không."),
        (r"^must be a non-empty text", "Hãy nhập nội dung, dài tối đa 200 ký tự."),
        (r"^must be one of", "Hãy chọn một giá trị trong danh sách."),
        (r"^must be a day of the month from 1 to 28$", "Hãy nhập một ngày từ 1 đến 28."),
        (r"^must be a day of the month from 1 to 31$", "Hãy nhập một ngày từ 1 đến 31."),
        (r"^must be a month from 1 to 12$", "Hãy nhập một tháng từ 1 đến 12."),
        (r"^must be 1, 2 or 3", "Hãy nhập 1, 2 hoặc 3 (tháng thứ mấy của quý)."),
        (r"^is not a day of the year$", "Ngày và tháng này không có trong năm (ví dụ 31/6)."),
        (r"^must be a list of days", "Hãy ghi mỗi dòng một ngày, ví dụ 01/12/2026."),
        (r"^has '(.*)', which is not a day", "Ngày {0} không có trong lịch."),
        (r"^lists a day twice$", "Có một ngày được ghi hai lần."),
        (r"^must be a list of distinct roles", "Hãy chọn các vai trò trong danh sách."),
        (r"^must not be shorter than (\S+)$", "không được ít hơn quy định “{0}”"),
    )
)


def vietnamese_problem(problem: str) -> str:
    for pattern, text in _PROBLEMS:
        found = pattern.match(problem)
        if found:
            return text.format(*found.groups())
    return f"Giá trị này không dùng được ({problem})."


def _field_of(spec: RuleSpec, problem: str) -> tuple[str, str]:
    """(form field, problem) — a table's problem names its key first ("before_day must …")."""
    if isinstance(spec.default, dict):
        head, _, rest = problem.partition(" ")
        if head in spec.default:
            return f"value__{head}", rest
    return "value", problem


@dataclass(frozen=True)
class RuleState:
    """A rule as the tenant has it now: its value, where it comes from, who set it."""

    spec: RuleSpec
    value: Any
    source: str
    #: No row yet: the software's default applies.
    is_default: bool
    is_overridden: bool

    @property
    def confidence(self) -> str:
        return confidence_of(self.source)


def list_rule_states(session: Session, specs: Sequence[RuleSpec]) -> list[RuleState]:
    rows = {r.key: r for r in session.scalars(select(TenantRule))}
    states = []
    for spec in specs:
        row = rows.get(spec.key)
        if row is None:
            states.append(RuleState(spec, spec.default, spec.default_source, True, False))
        else:
            states.append(RuleState(spec, row.value, row.source, False, row.is_overridden))
    return states


def rule_history(session: Session, key: str | None = None, limit: int = 50) -> list[AuditEntry]:
    """Who changed which rule when (the app and manifest applies alike), newest first."""
    stmt = select(AuditEntry).where(AuditEntry.object_type == OBJECT_TYPE)
    if key is not None:
        stmt = stmt.where(AuditEntry.object_id == key)
    return list(session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(limit)))


def _check(spec: RuleSpec, value: Any, specs: Sequence[RuleSpec], current: Mapping[str, Any]):
    errors = Errors()
    problem = spec.check(value)
    if problem:
        field, problem = _field_of(spec, problem)
        errors.add(field, vietnamese_problem(problem))
        return errors
    values = dict(current) | {spec.key: value}
    labels = {s.key: str(s.label or s.key) for s in specs}
    for other in specs:
        bound = other.check_with(values[other.key], values) if other.check_with else None
        if not bound:
            continue
        if other.key != spec.key and other.check_with(current[other.key], current):
            continue  # already wrong before this change: not this value's fault
        # e.g. "must not be shorter than response_days": name the other rule by its label.
        bound = vietnamese_problem(bound)
        for key, label in labels.items():
            bound = bound.replace(f"“{key}”", f"“{label}”")
        if other.key == spec.key:
            errors.add("value", f"Giá trị này {bound}.")
        else:
            errors.add("value", f"Giá trị này làm quy định “{labels[other.key]}” sai: {bound}.")
    return errors


def update_rule(
    session: Session,
    principal,
    spec: RuleSpec,
    value: Any,
    *,
    source: Any,
    confidence: Any,
    specs: Sequence[RuleSpec],
) -> TenantRule:
    """Set a rule's value and source (tenant admin only); marks it edited in the app, audited.

    Raises Forbidden, ValidationFailed (fields `value` or `value__<key>` of a table, `source`,
    `confidence`)."""
    if not principal.is_tenant_admin:
        raise Forbidden(ONLY_ADMIN)
    current = {s.spec.key: s.value for s in list_rule_states(session, specs)}
    errors = _check(spec, value, specs, current)
    text = errors.text(source, "source", label="Căn cứ", max_length=MAX_SOURCE)
    if text == "":
        errors.add("source", "Hãy ghi căn cứ của giá trị này (văn bản, quyết định, nơi tra cứu).")
    if confidence not in CONFIDENCE_LEVELS:
        errors.add("confidence", "Hãy chọn mức xác nhận: đã xác nhận, một phần hoặc chưa xác nhận.")
    errors.raise_if_any()
    row = session.get(TenantRule, spec.key)
    if row is None:
        row = TenantRule(key=spec.key, value=spec.default, source=spec.default_source)
        session.add(row)
        session.flush()
    before = audit.snapshot(row)
    row.value = value
    row.source = with_confidence(text or "", confidence)
    changes = audit.diff(before, audit.snapshot(row))
    if changes:
        row.is_overridden = True
        changes = audit.diff(before, audit.snapshot(row))
        session.flush()
        audit.record(
            session,
            principal,
            action="update",
            object_type=OBJECT_TYPE,
            object_id=spec.key,
            changes=changes,
        )
    return row


def release_rule(session: Session, principal, key: str) -> TenantRule:
    """Hand an edited rule back to the manifest: the value stays until the next `tenants apply`
    sets the manifest's. Raises Forbidden, NotFound."""
    if not principal.is_tenant_admin:
        raise Forbidden(ONLY_ADMIN)
    row = session.get(TenantRule, key)
    if row is None:
        raise NotFound("Không tìm thấy quy định này.")
    if row.is_overridden:
        row.is_overridden = False
        session.flush()
        audit.record(
            session,
            principal,
            action="release",
            object_type=OBJECT_TYPE,
            object_id=key,
            changes={"is_overridden": [True, False]},
        )
    return row
