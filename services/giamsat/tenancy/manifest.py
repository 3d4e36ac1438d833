"""Tenant manifests (tenants/*.toml): parsing and validation into plain dataclasses.

Only the format lives here; what the values mean for the unit tree is `units.provisioning`'s job.
The format is documented key by key in tenants/README.md.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from giamsat.core.rules import RuleSpec
from giamsat.tenancy.manifest_schemas import (
    CODE_PATTERN,
    OFFICIAL_CODE_PATTERN,
    SOURCE_MANIFEST,
    SOURCE_OFFICIAL,
    HistorySchema,
    LevelSchema,
    OrganizationsSchema,
    Problems,
    StructureSchema,
    TopSchema,
    UnitSchema,
)

#: The day the two-level local government started (Luật 72/2025/QH15, NQ 202/2025/QH15).
REORGANIZATION_DAY = dt.date(2025, 7, 1)
#: Validity start used when the real one is unknown (matches the Unit model's default).
UNKNOWN_START = dt.date(1900, 1, 1)

__all__ = [
    "CODE_PATTERN",
    "SOURCE_MANIFEST",
    "SOURCE_OFFICIAL",
    "Manifest",
    "ManifestError",
    "load_manifest",
    "parse_manifest",
]


class ManifestError(ValueError):
    """Every problem found in one manifest, one specific sentence each."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))


# --- the parsed manifest ---------------------------------------------------------------------


@dataclass(frozen=True)
class LevelSpec:
    code: str
    rank: int
    name_vi: str
    name_en: str
    is_residential_area: bool = False
    holds_residential_areas: bool = False


@dataclass(frozen=True)
class UnitSpec:
    """A unit listed in the manifest itself (history, or a whole hand-written tree)."""

    level: str
    code: str
    name: str
    kind: str = ""
    parent_level: str | None = None
    parent: str | None = None
    valid_from: dt.date = UNKNOWN_START
    valid_to: dt.date | None = None
    successor_level: str | None = None
    successor: str | None = None


@dataclass(frozen=True)
class RuleValue:
    key: str
    value: Any
    source: str


@dataclass(frozen=True)
class Structure:
    source: str = SOURCE_OFFICIAL
    valid_from: dt.date = REORGANIZATION_DAY
    province_level: str = "province"
    commune_level: str = "commune"


@dataclass(frozen=True)
class History:
    #: Import the pre-2025 structure that formed the province (units.history).
    pre_2025: bool = False


@dataclass(frozen=True)
class Manifest:
    path: str
    slug: str
    name: str
    province_code: int
    status: str
    structure: Structure
    levels: tuple[LevelSpec, ...]
    enabled_organizations: tuple[str, ...]
    organization_levels: dict[str, tuple[str, ...]]
    units: tuple[UnitSpec, ...]
    rules: tuple[RuleValue, ...]
    history: History = History()

    def level(self, code: str) -> LevelSpec | None:
        return next((lv for lv in self.levels if lv.code == code), None)


# --- defaults for the rest of the format ------------------------------------------------------

#: The current structure (since 1 July 2025): province → commune/ward → residential area.
DEFAULT_LEVELS = (
    LevelSpec("province", 0, "Tỉnh/thành phố", "Province"),
    LevelSpec("commune", 1, "Xã/phường/đặc khu", "Commune", holds_residential_areas=True),
    LevelSpec("residential_area", 2, "Khu dân cư", "Residential area", is_residential_area=True),
)
#: The Front itself and the socio-political organizations placed under it (Luật 97/2025/QH15).
ORGANIZATION_CODES = ("mttq", "hlhpn", "hnd", "hccb", "doan", "congdoan")


def _parse_structure(p: Problems, raw: Any) -> Structure:
    if raw is None:
        return Structure()
    data = p.load("[structure]", StructureSchema(), raw) or {}
    source = data.get("source", SOURCE_OFFICIAL)
    default_from = REORGANIZATION_DAY if source == SOURCE_OFFICIAL else UNKNOWN_START
    return Structure(
        source=source,
        valid_from=data.get("valid_from", default_from),
        province_level=data.get("province_level", "province"),
        commune_level=data.get("commune_level", "commune"),
    )


def _parse_levels(p: Problems, raw: Any) -> tuple[LevelSpec, ...]:
    if raw is None:
        return DEFAULT_LEVELS
    if not isinstance(raw, list) or not raw:
        p.add("[[levels]]", "must be a non-empty list of tables")
        return DEFAULT_LEVELS
    levels: list[LevelSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        where = f"[[levels]] #{index}"
        data = p.load(where, LevelSchema(), item)
        if data is None or "code" not in data:
            continue
        code = data["code"]
        if code in seen:
            p.add(where, f"code {code!r} is listed twice")
        seen.add(code)
        levels.append(
            LevelSpec(
                code=code,
                rank=data.get("rank", index - 1),
                name_vi=data.get("name_vi", code),
                name_en=data.get("name_en", code),
                is_residential_area=data.get("is_residential_area", False),
                holds_residential_areas=data.get("holds_residential_areas", False),
            )
        )
    if sum(lv.is_residential_area for lv in levels) != 1:
        p.add("[[levels]]", "must have exactly one level with is_residential_area = true")
    return tuple(levels)


def _parse_organizations(p: Problems, raw: Any, level_codes: set[str]):
    if raw is None:
        return ORGANIZATION_CODES, {}
    data = p.load("[organizations]", OrganizationsSchema(), raw)
    if data is None:
        return ORGANIZATION_CODES, {}
    enabled = data.get("enabled", list(ORGANIZATION_CODES))
    for code in enabled:
        if code not in ORGANIZATION_CODES:
            p.add(
                "[organizations]",
                f"enabled has an unknown organization {code!r} "
                f"(known: {', '.join(ORGANIZATION_CODES)})",
            )
    if len(set(enabled)) != len(enabled):
        p.add("[organizations]", "enabled lists an organization twice")
    if "mttq" not in enabled:
        p.add("[organizations]", 'enabled must include "mttq" (the Front committee itself)')
    org_levels: dict[str, tuple[str, ...]] = {}
    for code, codes in data.get("levels", {}).items():
        if code not in ORGANIZATION_CODES:
            p.add("[organizations]", f"levels has an unknown organization {code!r}")
            continue
        if not isinstance(codes, list) or not codes or not all(c in level_codes for c in codes):
            p.add(
                "[organizations]",
                f"levels.{code} must be a non-empty list of level codes "
                f"from [[levels]] ({', '.join(sorted(level_codes))})",
            )
            continue
        org_levels[code] = tuple(codes)
    return tuple(c for c in ORGANIZATION_CODES if c in enabled), org_levels


def _parse_rules(
    p: Problems, raw: Any, raw_sources: Any, path: str, specs: Sequence[RuleSpec]
) -> tuple[RuleValue, ...]:
    by_key = {spec.key: spec for spec in specs}
    tables = []
    for where, table in (("[rules]", raw), ("[rule_sources]", raw_sources)):
        if table is not None and not isinstance(table, dict):
            p.add(where, "must be a table")
            table = None
        table = table or {}
        for key in sorted(set(table) - set(by_key)):
            p.add(where, f"has an unknown key {key!r} (allowed: {', '.join(sorted(by_key))})")
        tables.append(table)
    raw, raw_sources = tables
    rules = []
    for spec in specs:
        value = raw.get(spec.key, spec.default)
        problem = spec.check(value)
        if problem:
            p.add("[rules]", f"{spec.key} {problem}")
            continue
        source = raw_sources.get(spec.key)
        if source is not None and (not isinstance(source, str) or not source.strip()):
            p.add("[rule_sources]", f"{spec.key} must be a non-empty text")
            source = None
        if source is None:
            # A value the manifest sets without saying where it comes from is not the default's.
            source = (
                spec.default_source
                if spec.key not in raw or value == spec.default
                else f"{path}: giá trị của tỉnh, chưa ghi nguồn [UNCONFIRMED]"
            )
        rules.append(RuleValue(spec.key, value, " ".join(source.split())))
    values = {r.key: r.value for r in rules}
    for rule in rules:
        bound = by_key[rule.key].check_with
        problem = bound(rule.value, values) if bound else None
        if problem:
            p.add("[rules]", f"{rule.key} {problem}")
    return tuple(rules)


def _parse_unit(
    p: Problems, index: int, item: Any, levels: tuple[LevelSpec, ...]
) -> UnitSpec | None:
    code = item.get("code") if isinstance(item, dict) else None
    if not (isinstance(code, str) and OFFICIAL_CODE_PATTERN.match(code)):
        p.load(f"[[units]] #{index}", UnitSchema(), item)  # says what is wrong with the code
        return None
    where = f"[[units]] {code}"
    data = p.load(where, UnitSchema(), item)
    if data is None:
        return None
    ranks = {lv.code: lv.rank for lv in levels}
    level = item.get("level")
    if not isinstance(level, str) or level not in ranks:
        p.add(where, f"level must be one of the [[levels]] codes ({', '.join(ranks)})")
        return None
    if any(lv.is_residential_area for lv in levels if lv.code == level):
        p.add(where, "residential areas are added by each commune, not by the manifest")
        return None
    # Listed units are mostly history whose start is unknown: [structure] valid_from is for
    # imported units only.
    valid_from, valid_to = data.get("valid_from", UNKNOWN_START), data.get("valid_to")
    if valid_to is not None and valid_to <= valid_from:
        p.add(where, "valid_to must be after valid_from")
    refs: dict[str, str | None] = {}
    for ref in ("parent", "successor"):
        refs[ref] = data.get(ref)
        refs[f"{ref}_level"] = data.get(f"{ref}_level")
        if refs[f"{ref}_level"] is not None and refs[f"{ref}_level"] not in ranks:
            p.add(where, f"{ref}_level must be one of the [[levels]] codes")
            refs[f"{ref}_level"] = None
    if refs["parent"] and refs["parent_level"] is None:
        above = sorted((r, c) for c, r in ranks.items() if r < ranks[level])
        if not above:
            p.add(where, "has a parent but its level is the top level")
        else:
            refs["parent_level"] = above[-1][1]
    if refs["successor"]:
        refs["successor_level"] = refs["successor_level"] or level
        if valid_to is None:
            p.add(where, "has a successor, so it needs valid_to (the day it ended)")
    return UnitSpec(
        level=level,
        code=code,
        name=str(data.get("name", code)),
        kind=data.get("kind", ""),
        valid_from=valid_from,
        valid_to=valid_to,
        **refs,
    )


def _parse_units(p: Problems, raw: Any, levels: tuple[LevelSpec, ...]) -> tuple[UnitSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        p.add("[[units]]", "must be a list of tables")
        return ()
    units, seen = [], set()
    for index, item in enumerate(raw, start=1):
        unit = _parse_unit(p, index, item, levels)
        if unit is None:
            continue
        if (unit.level, unit.code) in seen:
            p.add(f"[[units]] {unit.code}", f"is listed twice at level {unit.level!r}")
        seen.add((unit.level, unit.code))
        units.append(unit)
    return tuple(units)


def parse_manifest(text: str, path: str = "<manifest>", *, rules: Sequence[RuleSpec]) -> Manifest:
    """Parse and validate a manifest against the rules the domains declare
    (`giamsat.domains.rule_specs()`); raises ManifestError listing every problem found."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(path, [f"is not valid TOML ({error})"]) from None
    p = Problems()
    top = p.load("", TopSchema(), raw) or {}
    slug = raw.get("slug")
    name, code = top.get("name", ""), raw.get("province_code")
    status = top.get("status", "active")
    structure = _parse_structure(p, raw.get("structure"))
    levels = _parse_levels(p, raw.get("levels"))
    level_codes = {lv.code for lv in levels}
    if structure.source == SOURCE_OFFICIAL:
        for key in ("province_level", "commune_level"):
            if getattr(structure, key) not in level_codes:
                p.add("[structure]", f"{key} {getattr(structure, key)!r} is not in [[levels]]")
    enabled, org_levels = _parse_organizations(p, raw.get("organizations"), level_codes)
    rule_values = _parse_rules(p, raw.get("rules"), raw.get("rule_sources"), path, rules)
    units = _parse_units(p, raw.get("units"), levels)
    history = History()
    if raw.get("history") is not None:
        data = p.load("[history]", HistorySchema(), raw["history"]) or {}
        history = History(pre_2025=data.get("pre_2025", False))
        if history.pre_2025 and structure.source != SOURCE_OFFICIAL:
            p.add("[history]", f'pre_2025 needs [structure] source = "{SOURCE_OFFICIAL}"')
    if structure.source == SOURCE_MANIFEST and not units:
        p.add("[[units]]", f'is empty, but [structure] source is "{SOURCE_MANIFEST}"')
    if p.items:
        raise ManifestError(path, p.items)
    assert isinstance(slug, str) and isinstance(code, int)  # else a problem was recorded
    return Manifest(
        path=path,
        slug=slug,
        name=name,
        province_code=code,
        status=status,
        structure=structure,
        levels=levels,
        enabled_organizations=enabled,
        organization_levels=org_levels,
        units=units,
        rules=rule_values,
        history=history,
    )


def load_manifest(path: str | Path, *, rules: Sequence[RuleSpec]) -> Manifest:
    """Read and parse a manifest file; the path appears in every error message as given."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(shown, [f"cannot be read ({error})"]) from None
    return parse_manifest(text, shown, rules=rules)
