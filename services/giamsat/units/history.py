"""Manifest `[history] pre_2025 = true`: the pre-2025 tree that formed the province, with each old
commune's successors (data: `units.pre2025`). Called by `provisioning.apply_manifest` right after
the current units.

Where the old units sit: each old province hangs under the tenant's (new) province unit, so the
province's users see the history in their subtree; below it the four levels as they stood until
30 June 2025 — old province → district → commune → residential area. Old units are valid from
"unknown" (1900-01-01) to `valid_to` 2025-07-01 (the first day they no longer existed).

Successors: an old province's successor is the new province; an old commune's `successor_id`
is its primary successor (the one the conversion marks as default, or its only one), and
`unit_successors` holds every new commune that took part of it. Records of an old commune count
under its primary successor in periods after the reform (`reports.aggregation.PeriodTree`),
never under two. A commune the data gives no successor is kept, marked in `retired_reason`
and listed in the apply output; its records then count at the new province unit. Districts
have no successor (the level was abolished), except island districts that had no commune and
became a special zone. Idempotent; nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.tenancy.manifest import UNKNOWN_START, LevelSpec, Manifest
from giamsat.units import official_data, pre2025
from giamsat.units.desired import UnitKey
from giamsat.units.models import Unit, UnitSuccessor
from giamsat.units.unit_ids import reserve_unit_ids

#: The levels of the tree before 1 July 2025, beside the current ones (codes are unique per
#: level, and old and new codes overlap: old Ninh Bình is "37" like the new one).
HISTORY_LEVELS = (
    LevelSpec("old_province", 1, "Tỉnh/thành phố (trước 01/7/2025)", "Province (before 1/7/2025)"),
    LevelSpec("district", 2, "Quận/huyện (trước 01/7/2025)", "District (before 1/7/2025)"),
    LevelSpec(
        "old_commune",
        3,
        "Xã/phường/thị trấn (trước 01/7/2025)",
        "Commune (before 1/7/2025)",
        holds_residential_areas=True,
    ),
)
HISTORY_LEVEL_CODES = frozenset(lv.code for lv in HISTORY_LEVELS)
NO_SUCCESSOR = "Dữ liệu chuyển đổi ({source}) không ghi đơn vị kế thừa; giữ lại, chờ xác định."


@dataclass(frozen=True)
class _Wanted:
    key: UnitKey
    name: str
    kind: str
    parent: UnitKey
    #: Primary successor (a current unit key, or the new province), or None.
    successor: UnitKey | None
    #: Every successor: (key, is_primary).
    links: tuple[tuple[UnitKey, bool], ...] = ()
    retired_reason: str | None = None


def wanted_history(manifest: Manifest) -> list[_Wanted]:
    """The old units that formed the manifest's province, parents first."""
    data = pre2025.load()
    province_key: UnitKey = (
        manifest.structure.province_level,
        official_data.province_code_text(manifest.province_code),
    )
    commune_level = manifest.structure.commune_level
    mark = NO_SUCCESSOR.format(source=data.sources["successors"])
    wanted: list[_Wanted] = []
    for old in data.formed(province_key[1]):
        old_key: UnitKey = ("old_province", old.unit.code)
        links = ((province_key, True),)
        wanted.append(
            _Wanted(old_key, old.unit.name, old.unit.kind, province_key, province_key, links)
        )
        for district in old.districts:
            d_key: UnitKey = ("district", district.code)
            islands = tuple(
                ((commune_level, c), True) for c in old.district_successors.get(district.code, ())
            )
            wanted.append(
                _Wanted(
                    d_key,
                    district.name,
                    district.kind,
                    old_key,
                    islands[0][0] if islands else None,
                    islands,
                )
            )
            for commune in old.communes[district.code]:
                succ = old.successors[commune.code]
                links = tuple(((commune_level, s.code), s.is_primary) for s in succ)
                primary = next((k for k, is_primary in links if is_primary), None)
                wanted.append(
                    _Wanted(
                        ("old_commune", commune.code),
                        commune.name,
                        commune.kind,
                        d_key,
                        primary,
                        links,
                        None if links else mark,
                    )
                )
    return wanted


def history_levels(manifest: Manifest) -> tuple:
    """The levels the pre-2025 history brings: applied with the manifest's own levels."""
    return HISTORY_LEVELS if manifest.history.pre_2025 else ()


def apply_history(
    session: Session,
    manifest: Manifest,
    report,
    current: dict[UnitKey, Unit],
    record: Callable[..., None],
    progress: Callable[[str], None],
) -> set[UnitKey]:
    """Create or update the old units and their successor links; returns their keys."""
    if not manifest.history.pre_2025:
        return set()
    data = pre2025.load()
    wanted = wanted_history(manifest)
    valid_to = data.valid_to
    existing = {
        (u.level_code, u.official_code): u
        for u in session.scalars(select(Unit).where(Unit.level_code.in_(HISTORY_LEVEL_CODES)))
    }
    units = dict(current)
    # Ids reserved up front (parents first in `wanted`): every new old unit gets its path at
    # once and all of them go in one batched INSERT, whatever the level.
    fresh_ids = iter(reserve_unit_ids(session, sum(w.key not in existing for w in wanted)))
    created: list[Unit] = []
    for want in wanted:
        values = {
            "name": want.name,
            "kind": want.kind,
            "valid_from": UNKNOWN_START,
            "valid_to": valid_to,
            "successor_id": units[want.successor].id if want.successor in units else None,
            "retired_reason": want.retired_reason,
        }
        unit = existing.get(want.key)
        if unit is None:
            parent = units[want.parent]
            unit_id = next(fresh_ids)
            unit = Unit(
                id=unit_id,
                level_code=want.key[0],
                official_code=want.key[1],
                parent_id=parent.id,
                path=f"{parent.path}{unit_id}/",
                **values,
            )
            session.add(unit)
            created.append(unit)
        else:
            # The history never moves: a parent changed by hand is the admin's, and kept.
            differing = {a: v for a, v in values.items() if getattr(unit, a) != v}
            if differing:  # an unchanged unit (all of a re-apply) costs no snapshot, no flush
                before = audit.snapshot(unit)
                for attr, value in differing.items():
                    setattr(unit, attr, value)
                session.flush()
                record(
                    session,
                    report,
                    "update",
                    "unit",
                    unit.id,
                    audit.diff(before, audit.snapshot(unit)),
                )
        units[want.key] = unit
        if want.retired_reason:
            report.without_successor.append(f"{want.name} ({want.key[0]} {want.key[1]})")
    session.flush()
    for unit in created:
        record(session, report, "create", "unit", unit.id, audit.diff({}, audit.snapshot(unit)))
    progress(f"      history units {len(wanted)} ({data.source_text()})")
    _apply_successors(session, wanted, units, report, record, data.sources["successors"])
    session.flush()
    return {w.key for w in wanted}


def _apply_successors(session, wanted, units, report, record, source: str) -> None:
    # Plain tuples, not ORM rows: a re-apply compares them all and changes none.
    columns = (UnitSuccessor.unit_id, UnitSuccessor.successor_id)
    stored = session.execute(select(*columns, UnitSuccessor.is_primary, UnitSuccessor.source))
    links = {(unit_id, succ_id): (primary, src) for unit_id, succ_id, primary, src in stored}
    for want in wanted:
        unit = units[want.key]
        missing = [key for key, _ in want.links if key not in units]
        if missing:
            # A successor absent from the current tree: data of another release; say so.
            report.without_successor.append(
                f"{want.name} ({want.key[0]} {want.key[1]}): successor "
                f"{', '.join(k[1] for k in missing)} is not a unit of the province"
            )
        for key, is_primary in want.links:
            if key not in units:
                continue
            successor_id = units[key].id
            link = links.get((unit.id, successor_id))
            if link is None:
                session.add(
                    UnitSuccessor(
                        unit_id=unit.id,
                        successor_id=successor_id,
                        is_primary=is_primary,
                        source=source,
                    )
                )
                record(
                    session,
                    report,
                    "create",
                    "unit_successor",
                    unit.id,
                    {"successor_id": [None, successor_id], "is_primary": [None, is_primary]},
                )
            elif link != (is_primary, source):
                record(
                    session,
                    report,
                    "update",
                    "unit_successor",
                    unit.id,
                    {"is_primary": [link[0], is_primary], "source": [link[1], source]},
                )
                row = session.get(UnitSuccessor, (unit.id, successor_id))
                row.is_primary, row.source = is_primary, source
