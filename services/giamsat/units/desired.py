"""The units a tenant manifest asks for — its own list and the official data — checked and put
parents first, before anything touches the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from giamsat.tenancy.manifest import SOURCE_OFFICIAL, Manifest, ManifestError
from giamsat.units import official_data

UnitKey = tuple[str, str]  # (level code, official code)


@dataclass(frozen=True)
class DesiredUnit:
    key: UnitKey
    name: str
    kind: str
    parent: UnitKey | None
    valid_from: dt.date
    valid_to: dt.date | None = None
    successor: UnitKey | None = None


def _fmt(key: UnitKey) -> str:
    return f"{key[0]} {key[1]}"


def desired_units(manifest: Manifest) -> list[DesiredUnit]:
    """The units the manifest asks for, parents before children.

    Raises ManifestError for an unknown official province, a reference to a unit that is
    neither imported nor listed, a unit listed twice, or a cycle of parents."""
    problems: list[str] = []
    units: dict[UnitKey, DesiredUnit] = {}
    structure = manifest.structure
    if structure.source == SOURCE_OFFICIAL:
        official = official_data.get_province(manifest.province_code)
        if official is None:
            raise ManifestError(
                manifest.path,
                [
                    f"province_code {manifest.province_code} is not a province in "
                    f"{official_data.data_version()}"
                ],
            )
        province_key = (structure.province_level, official.unit.code)
        units[province_key] = DesiredUnit(
            province_key, official.unit.name, official.unit.kind, None, structure.valid_from
        )
        for commune in official.communes:
            key = (structure.commune_level, commune.code)
            units[key] = DesiredUnit(
                key, commune.name, commune.kind, province_key, structure.valid_from
            )
    for spec in manifest.units:
        key = (spec.level, spec.code)
        if key in units:
            problems.append(
                f"[[units]] {spec.code} is already a {spec.level} unit of the "
                "official data; a code names one unit per level"
            )
            continue
        units[key] = DesiredUnit(
            key,
            spec.name,
            spec.kind,
            (spec.parent_level, spec.parent) if spec.parent else None,
            spec.valid_from,
            spec.valid_to,
            (spec.successor_level, spec.successor) if spec.successor else None,
        )
    for unit in units.values():
        for ref, what in ((unit.parent, "parent"), (unit.successor, "successor")):
            if ref is not None and ref not in units:
                problems.append(
                    f"[[units]] {unit.key[1]} has {what} {ref[1]!r}, which is no "
                    f"{ref[0]} unit of the manifest or the official data"
                )
        if unit.successor == unit.key:
            problems.append(f"[[units]] {unit.key[1]} cannot be its own successor")
    if problems:
        raise ManifestError(manifest.path, problems)
    return _parents_first(manifest, units)


def _parents_first(manifest: Manifest, units: dict[UnitKey, DesiredUnit]) -> list[DesiredUnit]:
    ordered: list[DesiredUnit] = []
    state: dict[UnitKey, str] = {}

    def visit(key: UnitKey) -> None:
        # Trees are shallow (3–4 levels), so recursion depth is no concern.
        if state.get(key) == "done":
            return
        if state.get(key) == "visiting":
            raise ManifestError(manifest.path, [f"[[units]] {key[1]} is its own ancestor"])
        state[key] = "visiting"
        parent = units[key].parent
        if parent is not None:
            visit(parent)
        state[key] = "done"
        ordered.append(units[key])

    for key in units:
        visit(key)
    return ordered


def check_manifest(manifest: Manifest) -> None:
    """Everything that can be checked without a database; call before touching anything."""
    desired_units(manifest)
