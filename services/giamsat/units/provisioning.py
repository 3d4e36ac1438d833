"""Applies a parsed tenant manifest (the units it asks for: `units.desired`) to a tenant schema: levels, organizations, units, rules.

Idempotent: rows are matched by their natural keys (level code, organization code, (level,
official code) for units, rule key) and only real differences are written, each with an audit
entry by "system". Flush only; the command owns the one transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.identity import SystemActor
from giamsat.tenancy.manifest import (
    Manifest,
)
from giamsat.units import official_data
from giamsat.units.desired import UnitKey, desired_units
from giamsat.units.history import apply_history, history_levels
from giamsat.units.models import Organization, TenantRule, Unit, UnitLevel
from giamsat.units.unit_ids import reserve_unit_ids


@dataclass(frozen=True)
class OrganizationInfo:
    name: str
    short_name: str


#: The Front committee and the socio-political organizations under it, in display order; the
#: keys are the manifest's `ORGANIZATION_CODES` (a test holds the two together).
ORGANIZATIONS: dict[str, OrganizationInfo] = {
    "mttq": OrganizationInfo("Ủy ban Mặt trận Tổ quốc Việt Nam", "MTTQ"),
    "hlhpn": OrganizationInfo("Hội Liên hiệp Phụ nữ Việt Nam", "Hội LHPN"),
    "hnd": OrganizationInfo("Hội Nông dân Việt Nam", "Hội Nông dân"),
    "hccb": OrganizationInfo("Hội Cựu chiến binh Việt Nam", "Hội CCB"),
    "doan": OrganizationInfo("Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Đoàn TNCS Hồ Chí Minh"),
    "congdoan": OrganizationInfo("Công đoàn Việt Nam", "Công đoàn"),
}


@dataclass
class ApplyReport:
    """What an apply changed, and what it found but left alone."""

    changes: Counter = field(default_factory=Counter)  # (object_type, action) → count
    absent_units: list[str] = field(default_factory=list)
    absent_levels: list[str] = field(default_factory=list)
    kept_overridden_rules: list[str] = field(default_factory=list)
    unknown_rules: list[str] = field(default_factory=list)
    #: Pre-2025 units the data gives no successor: kept, marked, listed (`units.history`).
    without_successor: list[str] = field(default_factory=list)
    #: Units the manifest asks for (imported and listed), changed or not.
    unit_count: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def count(self, object_type: str, action: str) -> int:
        return self.changes[(object_type, action)]

    def summary(self) -> str:
        if not self.changes:
            return "nothing changed"
        return ", ".join(
            f"{n} {object_type} {action}d"
            for (object_type, action), n in sorted(self.changes.items())
        )


# --- applying ---------------------------------------------------------------------------------


def _record(
    session: Session, report: ApplyReport, action: str, object_type: str, object_id, changes: dict
) -> None:
    audit.record(
        session,
        SystemActor(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        changes=changes,
    )
    report.changes[(object_type, action)] += 1


def _upsert(
    session: Session, report: ApplyReport, model, object_type: str, row, key: dict, values: dict
):
    """Create the row, or set only the values that differ; audit either way. Returns the row."""
    if row is None:
        row = model(**key, **values)
        session.add(row)
        session.flush()
        _record(
            session,
            report,
            "create",
            object_type,
            next(iter(key.values())),
            audit.diff({}, audit.snapshot(row)),
        )
        return row
    differing = {attr: value for attr, value in values.items() if getattr(row, attr) != value}
    if not differing:  # every row of a no-op re-apply: no snapshot, no flush
        return row
    before = audit.snapshot(row)
    for attr, value in differing.items():
        setattr(row, attr, value)
    session.flush()
    changes = audit.diff(before, audit.snapshot(row))
    if changes:
        _record(session, report, "update", object_type, next(iter(key.values())), changes)
    return row


def apply_levels(session: Session, manifest: Manifest, report: ApplyReport) -> None:

    existing = {lv.code: lv for lv in session.scalars(select(UnitLevel))}
    levels = (*manifest.levels, *history_levels(manifest))
    for spec in levels:
        _upsert(
            session,
            report,
            UnitLevel,
            "unit_level",
            existing.get(spec.code),
            {"code": spec.code},
            {
                "rank": spec.rank,
                "name_vi": spec.name_vi,
                "name_en": spec.name_en,
                "is_residential_area": spec.is_residential_area,
                "holds_residential_areas": spec.holds_residential_areas,
            },
        )
    wanted = {spec.code for spec in levels}
    report.absent_levels = sorted(code for code in existing if code not in wanted)


def apply_organizations(session: Session, manifest: Manifest, report: ApplyReport) -> None:
    existing = {o.code: o for o in session.scalars(select(Organization))}
    for order, (code, info) in enumerate(ORGANIZATIONS.items()):
        levels = manifest.organization_levels.get(code)
        _upsert(
            session,
            report,
            Organization,
            "organization",
            existing.get(code),
            {"code": code},
            {
                "name": info.name,
                "short_name": info.short_name,
                "sort_order": order,
                "is_enabled": code in manifest.enabled_organizations,
                "level_codes": list(levels) if levels else None,
            },
        )


def _move(session: Session, unit: Unit, parent: Unit | None) -> None:
    """Hang `unit` under `parent`, rewriting the materialized path of its whole subtree."""
    old_path = unit.path
    new_path = f"{parent.path if parent else '/'}{unit.id}/"
    unit.parent_id = parent.id if parent else None
    if new_path != old_path:
        session.execute(
            update(Unit)
            .where(Unit.path.startswith(old_path))
            .values(path=func.concat(new_path, func.substr(Unit.path, len(old_path) + 1))),
            execution_options={"synchronize_session": "fetch"},
        )


def apply_units(
    session: Session, manifest: Manifest, report: ApplyReport, progress: Callable[[str], None]
) -> dict[UnitKey, Unit]:
    desired = desired_units(manifest)
    report.unit_count = len(desired)
    existing = {
        (u.level_code, u.official_code): u
        for u in session.scalars(select(Unit).where(Unit.official_code.is_not(None)))
    }
    # New units are inserted together (one batched INSERT, not three round trips each): a
    # province's first apply creates a hundred or more of them.
    fresh_ids = iter(reserve_unit_ids(session, sum(w.key not in existing for w in desired)))
    created: list[Unit] = []
    resolved: dict[UnitKey, Unit] = {}
    total = len(desired)
    step = max(1, total // 4)
    for done, want in enumerate(desired, start=1):
        parent = resolved[want.parent] if want.parent else None
        unit = existing.get(want.key)
        values = {
            "name": want.name,
            "kind": want.kind,
            "valid_from": want.valid_from,
            "valid_to": want.valid_to,
        }
        if unit is None:
            unit_id = next(fresh_ids)
            unit = Unit(
                id=unit_id,
                level_code=want.key[0],
                official_code=want.key[1],
                parent_id=parent.id if parent else None,
                path=f"{parent.path if parent else '/'}{unit_id}/",
                **values,
            )
            session.add(unit)
            created.append(unit)
        elif unit.parent_id != (parent.id if parent else None) or any(
            getattr(unit, attr) != value for attr, value in values.items()
        ):  # an unchanged unit (every unit of a re-apply) costs no snapshot and no flush
            before = audit.snapshot(unit)
            for attr, value in values.items():
                if getattr(unit, attr) != value:
                    setattr(unit, attr, value)
            if unit.parent_id != (parent.id if parent else None):
                _move(session, unit, parent)
            session.flush()
            changes = audit.diff(before, audit.snapshot(unit))
            if changes:
                _record(session, report, "update", "unit", unit.id, changes)
        resolved[want.key] = unit
        if done % step == 0 or done == total:
            progress(f"      units {done}/{total}")
    session.flush()
    for unit in created:
        _record(session, report, "create", "unit", unit.id, audit.diff({}, audit.snapshot(unit)))
    for want in desired:
        unit = resolved[want.key]
        successor_id = resolved[want.successor].id if want.successor else None
        if unit.successor_id != successor_id:
            changes = {"successor_id": [unit.successor_id, successor_id]}
            unit.successor_id = successor_id
            _record(session, report, "update", "unit", unit.id, changes)
    session.flush()
    return resolved


def _report_absent_units(session: Session, wanted: set[UnitKey], report: ApplyReport) -> None:
    # Residential areas belong to the communes, never to the manifest: not "absent".
    stmt = (
        select(Unit)
        .join(UnitLevel, Unit.level_code == UnitLevel.code)
        .where(UnitLevel.is_residential_area.is_(False))
        .order_by(Unit.path)
    )
    for unit in session.scalars(stmt):
        if (unit.level_code, unit.official_code) not in wanted:
            report.absent_units.append(
                f"{unit.name} ({unit.level_code} {unit.official_code or 'without code'}, "
                f"id {unit.id})"
            )


def apply_rules(session: Session, manifest: Manifest, report: ApplyReport) -> None:
    existing = {r.key: r for r in session.scalars(select(TenantRule))}
    for rule in manifest.rules:
        row = existing.get(rule.key)
        if row is not None and row.is_overridden:
            if row.value != rule.value:
                report.kept_overridden_rules.append(rule.key)
            continue
        _upsert(
            session,
            report,
            TenantRule,
            "tenant_rule",
            row,
            {"key": rule.key},
            {"value": rule.value, "source": rule.source},
        )
    known = {rule.key for rule in manifest.rules}
    report.unknown_rules = sorted(key for key in existing if key not in known)


def apply_manifest(
    session: Session, manifest: Manifest, *, progress: Callable[[str], None] = lambda line: None
) -> ApplyReport:
    """Bring the tenant schema bound to `session` in line with `manifest`. Flushes only."""
    report = ApplyReport()
    units: dict[UnitKey, Unit] = {}
    history: set[UnitKey] = set()

    def run_units() -> None:
        # The pre-2025 history ([history]) hangs under the current units: right after them.
        units.update(apply_units(session, manifest, report, progress))
        history.update(apply_history(session, manifest, report, units, _record, progress))
        _report_absent_units(session, set(units) | history, report)

    stages = (
        ("levels", lambda: apply_levels(session, manifest, report)),
        ("organizations", lambda: apply_organizations(session, manifest, report)),
        ("units", run_units),
        ("rules", lambda: apply_rules(session, manifest, report)),
    )
    for number, (name, run) in enumerate(stages, start=1):
        progress(f"  [{number}/{len(stages)}] {name}")
        run()
    if report.changed:
        audit.record(
            session,
            SystemActor(),
            action="apply",
            object_type="tenant_manifest",
            object_id=manifest.slug,
            changes={"manifest": [None, manifest.path], "summary": [None, report.summary()]},
        )
    session.flush()
    return report


def find_province_unit(session: Session, province_code: int) -> Unit | None:
    """The tenant's current top unit: the root with the province's official code, else the
    only current root."""
    roots = list(
        session.scalars(
            select(Unit).where(Unit.parent_id.is_(None), Unit.valid_to.is_(None)).order_by(Unit.id)
        )
    )
    code = official_data.province_code_text(province_code)
    for root in roots:
        if root.official_code in (code, str(province_code)):
            return root
    return roots[0] if len(roots) == 1 else None
