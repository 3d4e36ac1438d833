"""The administrative tree before 1 July 2025 and each old commune's successors, as shipped in
`units/data/pre2025.json.gz` (extracted once by tools/extract_pre2025.py; sources in `SOURCES`)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

DATA_FILE = "pre2025.json.gz"


@dataclass(frozen=True)
class OldUnit:
    code: str
    #: Official name with its type: "Tỉnh Hà Nam", "Huyện Gia Viễn", "Thị trấn Me".
    name: str
    #: "tỉnh", "thành phố trung ương", "quận", "huyện", "thị xã", "thành phố", "xã",
    #: "phường", "thị trấn" (from the name; "" when the name says none).
    kind: str
    #: Code of the old unit above (province for a district, district for a commune).
    parent: str | None


@dataclass(frozen=True)
class Successor:
    """A new commune (since 1 July 2025) that took over all or part of an old one."""

    code: str
    #: The converter's default new commune for the old one (its only one when undivided).
    is_primary: bool


@dataclass(frozen=True)
class OldProvince:
    unit: OldUnit
    #: Code of the new province (34) that the old one became part of.
    successor: str
    districts: tuple[OldUnit, ...]
    #: district code → its communes.
    communes: dict[str, tuple[OldUnit, ...]]
    #: old commune code → its successors (empty: the source names none; kept and listed).
    successors: dict[str, tuple[Successor, ...]]
    #: old district code → new communes, for island districts that had no communes.
    district_successors: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Pre2025:
    sources: dict[str, str]
    #: The day the old units stopped existing (their `valid_to`).
    valid_to: dt.date
    provinces: dict[str, OldProvince]

    def formed(self, new_province_code: str) -> list[OldProvince]:
        """The old provinces that became (part of) the new province, by code."""
        return [p for p in self.provinces.values() if p.successor == new_province_code]

    def source_text(self) -> str:
        return f"{self.sources['tree']}; successors from {self.sources['successors']}"


@lru_cache(maxsize=1)
def load() -> Pre2025:
    raw = resources.files("giamsat.units").joinpath("data", DATA_FILE).read_bytes()
    data = json.loads(gzip.decompress(raw))
    districts: dict[str, list[tuple[OldUnit, tuple[str, ...]]]] = {}
    for code, name, kind, province, succ in data["districts"]:
        districts.setdefault(province, []).append((OldUnit(code, name, kind, province), succ))
    communes: dict[str, list[tuple[OldUnit, list]]] = {}
    for code, name, kind, district, succ in data["communes"]:
        communes.setdefault(district, []).append((OldUnit(code, name, kind, district), succ))
    provinces = {}
    for code, name, kind, successor in data["provinces"]:
        own = districts.get(code, [])
        by_district = {d.code: tuple(c for c, _ in communes.get(d.code, [])) for d, _ in own}
        provinces[code] = OldProvince(
            unit=OldUnit(code, name, kind, None),
            successor=successor,
            districts=tuple(d for d, _ in own),
            communes=by_district,
            successors={
                c.code: tuple(Successor(s, bool(p)) for s, p in succ)
                for d, _ in own
                for c, succ in communes.get(d.code, [])
            },
            district_successors={d.code: tuple(s) for d, s in own if s},
        )
    return Pre2025(
        sources=dict(data["sources"]),
        valid_to=dt.date.fromisoformat(data["valid_to"]),
        provinces=provinces,
    )
