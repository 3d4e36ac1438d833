"""Tenant manifests (tenants/*.toml): parsing and validation into plain dataclasses.

Only the format lives here; what the values mean for the unit tree is `units.provisioning`'s job.
The format is documented key by key in tenants/README.md.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from giamsat.core.rules import RuleSpec
from giamsat.tenancy.names import InvalidName, validate_slug

#: Where imported official units come from, or "manifest" for units listed in the file only.
SOURCE_OFFICIAL = "vietnam-provinces"
SOURCE_MANIFEST = "manifest"
#: The day the two-level local government started (Luật 72/2025/QH15, NQ 202/2025/QH15).
REORGANIZATION_DAY = dt.date(2025, 7, 1)
#: Validity start used when the real one is unknown (matches the Unit model's default).
UNKNOWN_START = dt.date(1900, 1, 1)

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
OFFICIAL_CODE_PATTERN = re.compile(r"^[0-9A-Za-z._-]{1,20}$")


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

    def level(self, code: str) -> LevelSpec | None:
        return next((lv for lv in self.levels if lv.code == code), None)


# --- rules: the province program's local rules, each with a default and where it comes from ---


def _positive_int(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return "must be a positive integer"
    return None


def _non_negative_int(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return "must be a whole number, 0 or more"
    return None


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        return "must be a non-empty text of at most 200 characters"
    return None


def _one_of(*choices: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value not in choices:
            return "must be one of: " + ", ".join(f'"{c}"' for c in choices)
        return None
    return check


def _day_of_month(value: Any) -> str | None:
    # Up to 28 so that the day exists in every month.
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 28:
        return "must be a day of the month from 1 to 28"
    return None


def _table(keys: dict[str, Callable[[Any], str | None]],
           extra: Callable[[dict], str | None] | None = None) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, dict) or set(value) != set(keys):
            return "must be a table with exactly the keys " + ", ".join(keys)
        for key, inner in keys.items():
            problem = inner(value[key])
            if problem:
                return f"{key} {problem}"
        return extra(value) if extra else None
    return check


def _month(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        return "must be a month from 1 to 12"
    return None


def _month_of_quarter(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3:
        return "must be 1, 2 or 3 (month within the quarter)"
    return None


def _day_of_year(value: dict) -> str | None:
    try:
        dt.date(2001, value["month"], value["before_day"])  # a common year: no 29 February
    except ValueError:
        return "is not a day of the year"
    return None


def _cutoff_day_of_year(value: dict) -> str | None:
    try:
        dt.date(2001, value["month"], value["day"])  # a common year: no 29 February
    except ValueError:
        return "is not a day of the year"
    return None


def _any_day(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 31:
        return "must be a day of the month from 1 to 31"
    return None


SEED = ("[UNCONFIRMED] mặc định theo Chương trình phối hợp UBMTTQ tỉnh Ninh Bình – các tổ "
        "chức CT-XH thực hiện QĐ 124-QĐ/TW; cần đối chiếu chương trình của tỉnh")
ART8 = "QĐ 124-QĐ/TW (02/02/2018) Điều 8, theo tóm tắt của thuvienphapluat.vn [PARTIAL]"
NO_NATIONAL_RULE = ("[UNCONFIRMED] chưa tìm thấy quy định chung về hòm thư góp ý ở khu dân cư; "
                    "giá trị mặc định, cần đối chiếu nội quy của tỉnh")


RULES: tuple[RuleSpec, ...] = (
    RuleSpec("report_deadline_quarterly",
             _table({"month_of_quarter": _month_of_quarter, "before_day": _day_of_month}),
             {"month_of_quarter": 3, "before_day": 20},
             f"{SEED} (trước ngày 20 tháng cuối quý)"),
    RuleSpec("report_deadline_six_monthly",
             _table({"month": _month, "before_day": _any_day}, _day_of_year),
             {"month": 6, "before_day": 20},
             f"{SEED} (trước 20/6)"),
    RuleSpec("report_deadline_yearly",
             _table({"month": _month, "before_day": _any_day}, _day_of_year),
             {"month": 12, "before_day": 15},
             f"{SEED} (trước 15/12)"),
    RuleSpec("report_cutoff_quarterly",
             _table({"month_of_quarter": _month_of_quarter, "day": _day_of_month}),
             {"month_of_quarter": 3, "day": 15},
             "[UNCONFIRMED] DOMAIN.md §7.1: số liệu quý tính đến hết ngày trước ngày 15 tháng "
             "cuối quý, để kịp hạn báo cáo"),
    RuleSpec("report_cutoff_six_monthly",
             _table({"month": _month, "day": _any_day}, _cutoff_day_of_year),
             {"month": 6, "day": 15},
             "[UNCONFIRMED] DOMAIN.md §7.1: số liệu 6 tháng tính đến hết 14/6"),
    RuleSpec("report_cutoff_yearly",
             _table({"month": _month, "day": _any_day}, _cutoff_day_of_year),
             {"month": 12, "day": 15},
             "[UNCONFIRMED] DOMAIN.md §7.1: số liệu năm tính từ 15/12 năm trước đến hết 14/12, "
             "để báo cáo năm nộp trước 15/12"),
    RuleSpec("report_ad_hoc", _boolean, True,
             f"{SEED} (báo cáo đột xuất theo yêu cầu)"),
    RuleSpec("response_days", _positive_int, 20, ART8 + ": 20 ngày làm việc"),
    RuleSpec("response_days_complex", _positive_int, 30,
             ART8 + ": vụ việc phức tạp tối đa 30 ngày làm việc"),
    RuleSpec("box_opening_frequency", _one_of("weekly", "twice_monthly", "monthly", "quarterly"),
             "monthly", NO_NATIONAL_RULE + " (xã Hoàng Trĩ, Bắc Kạn 2020: tổng hợp hằng tháng)"),
    RuleSpec("box_opening_day", _day_of_month, 10,
             NO_NATIONAL_RULE + " (xã Hoàng Trĩ, Bắc Kạn 2020: ngày 10 hằng tháng)"),
    RuleSpec("box_min_witnesses", _non_negative_int, 2, NO_NATIONAL_RULE),
    RuleSpec("box_minutes_required", _boolean, True,
             NO_NATIONAL_RULE + " (nên lập biên bản mỗi lần mở hòm thư)"),
    RuleSpec("box_key_holder", _text, "Trưởng ban Công tác Mặt trận khu dân cư",
             "[PARTIAL] xã Hoàng Trĩ, Bắc Kạn 2020: Trưởng ban CTMT quản lý hòm thư; "
             "chưa có quy định chung"),
    RuleSpec("reminder_days_before_due", _positive_int, 3,
             "[UNCONFIRMED] giá trị thiết kế: nhắc trước hạn trả lời bao nhiêu ngày làm việc"),
    RuleSpec("recommendation_response_days", _positive_int, 20,
             ART8 + ": kiến nghị của MTTQ được trả lời trong 20 ngày làm việc (áp dụng như "
             "response_days)"),
    RuleSpec("public_submissions_per_address_per_hour", _positive_int, 5,
             "[UNCONFIRMED] giá trị thiết kế chống gửi tràn qua biểu mẫu công khai"),
    RuleSpec("public_submissions_per_unit_per_hour", _positive_int, 50,
             "[UNCONFIRMED] giá trị thiết kế chống gửi tràn qua biểu mẫu công khai"),
    RuleSpec("receipt_lookups_per_address_per_10_minutes", _positive_int, 10,
             "[UNCONFIRMED] giá trị thiết kế chống dò mã tiếp nhận"),
)
RULES_BY_KEY = {spec.key: spec for spec in RULES}

# --- defaults for the rest of the format ------------------------------------------------------

#: The current structure (since 1 July 2025): province → commune/ward → residential area.
DEFAULT_LEVELS = (
    LevelSpec("province", 0, "Tỉnh/thành phố", "Province"),
    LevelSpec("commune", 1, "Xã/phường/đặc khu", "Commune", holds_residential_areas=True),
    LevelSpec("residential_area", 2, "Khu dân cư", "Residential area", is_residential_area=True),
)
#: The Front itself and the socio-political organizations placed under it (Luật 97/2025/QH15).
ORGANIZATION_CODES = ("mttq", "hlhpn", "hnd", "hccb", "doan", "congdoan")

TOP_KEYS = {"slug", "name", "province_code", "status", "structure", "levels", "organizations",
            "rules", "rule_sources", "units"}
STRUCTURE_KEYS = {"source", "valid_from", "province_level", "commune_level"}
LEVEL_KEYS = {"code", "rank", "name_vi", "name_en", "is_residential_area",
              "holds_residential_areas"}
UNIT_KEYS = {"level", "code", "name", "kind", "parent_level", "parent", "valid_from", "valid_to",
             "successor_level", "successor"}
ORGANIZATION_KEYS = {"enabled", "levels"}


class _Problems:
    """Collects every problem instead of stopping at the first, so one run shows them all."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where} {message}" if where else message)

    def unknown_keys(self, where: str, table: dict, allowed: set[str]) -> None:
        for key in sorted(set(table) - allowed):
            self.add(where, f"has an unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _str(p: _Problems, where: str, table: dict, key: str, *, required: bool = True,
         default: str | None = None, max_len: int = 200) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            p.add(where, f"{key} is required")
        return default
    if not isinstance(value, str) or not value.strip():
        p.add(where, f"{key} must be a non-empty text")
        return default
    value = " ".join(value.split())
    if len(value) > max_len:
        p.add(where, f"{key} must be at most {max_len} characters")
    return value


def _parse_structure(p: _Problems, raw: Any) -> Structure:
    if raw is None:
        return Structure()
    if not isinstance(raw, dict):
        p.add("[structure]", "must be a table")
        return Structure()
    p.unknown_keys("[structure]", raw, STRUCTURE_KEYS)
    source = raw.get("source", SOURCE_OFFICIAL)
    if source not in (SOURCE_OFFICIAL, SOURCE_MANIFEST):
        p.add("[structure]", f'source must be "{SOURCE_OFFICIAL}" or "{SOURCE_MANIFEST}"')
        source = SOURCE_OFFICIAL
    default_from = REORGANIZATION_DAY if source == SOURCE_OFFICIAL else UNKNOWN_START
    valid_from = default_from
    if "valid_from" in raw:
        valid_from = _date(raw["valid_from"])
        if valid_from is None:
            p.add("[structure]", "valid_from must be a date like 2025-07-01")
            valid_from = default_from
    levels = {}
    for key in ("province_level", "commune_level"):
        levels[key] = raw.get(key, key.removesuffix("_level"))
        if not isinstance(levels[key], str) or not CODE_PATTERN.match(levels[key]):
            p.add("[structure]", f"{key} must be a level code like \"commune\"")
    return Structure(source=source, valid_from=valid_from, **levels)


def _parse_levels(p: _Problems, raw: Any) -> tuple[LevelSpec, ...]:
    if raw is None:
        return DEFAULT_LEVELS
    if not isinstance(raw, list) or not raw:
        p.add("[[levels]]", "must be a non-empty list of tables")
        return DEFAULT_LEVELS
    levels, seen = [], set()
    for index, item in enumerate(raw, start=1):
        where = f"[[levels]] #{index}"
        if not isinstance(item, dict):
            p.add(where, "must be a table")
            continue
        p.unknown_keys(where, item, LEVEL_KEYS)
        code = item.get("code")
        if not isinstance(code, str) or not CODE_PATTERN.match(code):
            p.add(where, "code must be lowercase letters, digits and _ (like \"district\")")
            continue
        if code in seen:
            p.add(where, f"code {code!r} is listed twice")
        seen.add(code)
        rank = item.get("rank", index - 1)
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 0:
            p.add(where, "rank must be a whole number, 0 or more")
            rank = index - 1
        flags = {}
        for flag in ("is_residential_area", "holds_residential_areas"):
            flags[flag] = item.get(flag, False)
            if not isinstance(flags[flag], bool):
                p.add(where, f"{flag} must be true or false")
                flags[flag] = False
        levels.append(LevelSpec(
            code=code, rank=rank,
            name_vi=_str(p, where, item, "name_vi", default=code, max_len=100),
            name_en=_str(p, where, item, "name_en", default=code, max_len=100), **flags))
    if sum(lv.is_residential_area for lv in levels) != 1:
        p.add("[[levels]]", "must have exactly one level with is_residential_area = true")
    return tuple(levels)


def _parse_organizations(p: _Problems, raw: Any, level_codes: set[str]):
    if raw is None:
        return ORGANIZATION_CODES, {}
    if not isinstance(raw, dict):
        p.add("[organizations]", "must be a table")
        return ORGANIZATION_CODES, {}
    p.unknown_keys("[organizations]", raw, ORGANIZATION_KEYS)
    enabled = raw.get("enabled", list(ORGANIZATION_CODES))
    if not isinstance(enabled, list) or not all(isinstance(c, str) for c in enabled):
        p.add("[organizations]", "enabled must be a list of organization codes")
        enabled = list(ORGANIZATION_CODES)
    for code in enabled:
        if code not in ORGANIZATION_CODES:
            p.add("[organizations]", f"enabled has an unknown organization {code!r} "
                  f"(known: {', '.join(ORGANIZATION_CODES)})")
    if len(set(enabled)) != len(enabled):
        p.add("[organizations]", "enabled lists an organization twice")
    if "mttq" not in enabled:
        p.add("[organizations]", 'enabled must include "mttq" (the Front committee itself)')
    levels_raw = raw.get("levels", {})
    org_levels: dict[str, tuple[str, ...]] = {}
    if not isinstance(levels_raw, dict):
        p.add("[organizations]", "levels must be a table like { congdoan = [\"province\"] }")
        levels_raw = {}
    for code, codes in levels_raw.items():
        if code not in ORGANIZATION_CODES:
            p.add("[organizations]", f"levels has an unknown organization {code!r}")
            continue
        if not isinstance(codes, list) or not codes or not all(c in level_codes for c in codes):
            p.add("[organizations]", f"levels.{code} must be a non-empty list of level codes "
                  f"from [[levels]] ({', '.join(sorted(level_codes))})")
            continue
        org_levels[code] = tuple(codes)
    return tuple(c for c in ORGANIZATION_CODES if c in enabled), org_levels


def _parse_rules(p: _Problems, raw: Any, raw_sources: Any, path: str) -> tuple[RuleValue, ...]:
    raw = {} if raw is None else raw
    raw_sources = {} if raw_sources is None else raw_sources
    if not isinstance(raw, dict):
        p.add("[rules]", "must be a table")
        raw = {}
    if not isinstance(raw_sources, dict):
        p.add("[rule_sources]", "must be a table")
        raw_sources = {}
    p.unknown_keys("[rules]", raw, set(RULES_BY_KEY))
    p.unknown_keys("[rule_sources]", raw_sources, set(RULES_BY_KEY))
    rules = []
    for spec in RULES:
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
            source = (spec.default_source if spec.key not in raw or value == spec.default
                      else f"{path}: giá trị của tỉnh, chưa ghi nguồn [UNCONFIRMED]")
        rules.append(RuleValue(spec.key, value, " ".join(source.split())))
    by_key = {r.key: r.value for r in rules}
    if by_key.get("response_days_complex", 0) < by_key.get("response_days", 0):
        p.add("[rules]", "response_days_complex must not be shorter than response_days")
    return tuple(rules)


def _parse_units(p: _Problems, raw: Any, levels: tuple[LevelSpec, ...]) -> tuple[UnitSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        p.add("[[units]]", "must be a list of tables")
        return ()
    ranks = {lv.code: lv.rank for lv in levels}
    residential = {lv.code for lv in levels if lv.is_residential_area}
    units, seen = [], set()
    for index, item in enumerate(raw, start=1):
        where = f"[[units]] #{index}"
        if not isinstance(item, dict):
            p.add(where, "must be a table")
            continue
        p.unknown_keys(where, item, UNIT_KEYS)
        level = item.get("level")
        code = item.get("code")
        if isinstance(code, int) and not isinstance(code, bool):
            p.add(where, f'code must be quoted text, like "{code}" (leading zeros matter)')
            continue
        if not isinstance(code, str) or not OFFICIAL_CODE_PATTERN.match(code):
            p.add(where, "code (the official code) is required, e.g. \"14464\"")
            continue
        where = f"[[units]] {code}"
        if level not in ranks:
            p.add(where, f"level must be one of the [[levels]] codes ({', '.join(ranks)})")
            continue
        if level in residential:
            p.add(where, "residential areas are added by each commune, not by the manifest")
            continue
        if (level, code) in seen:
            p.add(where, f"is listed twice at level {level!r}")
        seen.add((level, code))
        dates = {}
        # Listed units are mostly history whose start is unknown: [structure] valid_from is
        # for imported units only.
        for key, default in (("valid_from", UNKNOWN_START), ("valid_to", None)):
            dates[key] = default
            if key in item:
                dates[key] = _date(item[key])
                if dates[key] is None:
                    p.add(where, f"{key} must be a date like 2025-07-01")
                    dates[key] = default
        if dates["valid_to"] is not None and dates["valid_to"] <= dates["valid_from"]:
            p.add(where, "valid_to must be after valid_from")
        refs = {}
        for ref in ("parent", "successor"):
            refs[ref] = item.get(ref)
            if refs[ref] is not None and not (isinstance(refs[ref], str)
                                              and OFFICIAL_CODE_PATTERN.match(refs[ref])):
                p.add(where, f"{ref} must be the quoted official code of a unit")
                refs[ref] = None
            ref_level = item.get(f"{ref}_level")
            if ref_level is not None and ref_level not in ranks:
                p.add(where, f"{ref}_level must be one of the [[levels]] codes")
                ref_level = None
            refs[f"{ref}_level"] = ref_level
        if refs["parent"] and refs["parent_level"] is None:
            above = sorted((r, c) for c, r in ranks.items() if r < ranks[level])
            if not above:
                p.add(where, "has a parent but its level is the top level")
            else:
                refs["parent_level"] = above[-1][1]
        if refs["successor"]:
            refs["successor_level"] = refs["successor_level"] or level
            if dates["valid_to"] is None:
                p.add(where, "has a successor, so it needs valid_to (the day it ended)")
        units.append(UnitSpec(level=level, code=code,
                              name=_str(p, where, item, "name", default=code),
                              kind=_str(p, where, item, "kind", required=False, default="",
                                        max_len=40),
                              **dates, **refs))
    return tuple(units)


def parse_manifest(text: str, path: str = "<manifest>") -> Manifest:
    """Parse and validate a manifest; raises ManifestError listing every problem found."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(path, [f"is not valid TOML ({error})"]) from None
    p = _Problems()
    p.unknown_keys("", raw, TOP_KEYS)
    slug = raw.get("slug")
    try:
        validate_slug(slug)
    except InvalidName:
        p.add("", "slug must be lowercase ASCII words joined by hyphens, like \"ninh-binh\"")
    name = _str(p, "", raw, "name", default="")
    code = raw.get("province_code")
    if isinstance(code, bool) or not isinstance(code, int) or not 1 <= code <= 999:
        p.add("", "province_code must be the official province code, a number like 37")
    status = raw.get("status", "active")
    if status not in ("active", "suspended"):
        p.add("", 'status must be "active" or "suspended"')
    structure = _parse_structure(p, raw.get("structure"))
    levels = _parse_levels(p, raw.get("levels"))
    level_codes = {lv.code for lv in levels}
    if structure.source == SOURCE_OFFICIAL:
        for key in ("province_level", "commune_level"):
            if getattr(structure, key) not in level_codes:
                p.add("[structure]", f"{key} {getattr(structure, key)!r} is not in [[levels]]")
    enabled, org_levels = _parse_organizations(p, raw.get("organizations"), level_codes)
    rules = _parse_rules(p, raw.get("rules"), raw.get("rule_sources"), path)
    units = _parse_units(p, raw.get("units"), levels)
    if structure.source == SOURCE_MANIFEST and not units:
        p.add("[[units]]", f'is empty, but [structure] source is "{SOURCE_MANIFEST}"')
    if p.items:
        raise ManifestError(path, p.items)
    return Manifest(path=path, slug=slug, name=name, province_code=code, status=status,
                    structure=structure, levels=levels, enabled_organizations=enabled,
                    organization_levels=org_levels, units=units, rules=rules)


def load_manifest(path: str | Path) -> Manifest:
    """Read and parse a manifest file; the path appears in every error message as given."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(shown, [f"cannot be read ({error})"]) from None
    return parse_manifest(text, shown)
