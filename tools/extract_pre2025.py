"""Extract the pre-2025 administrative tree and its successors into the data file the product ships.

Run ONCE, in a scratch environment outside the repository (the product never imports these):

    python3 -m venv /tmp/vp06
    /tmp/vp06/bin/pip install vietnam-provinces==0.6.0 vietnamadminunits==1.0.4
    /tmp/vp06/bin/python tools/extract_pre2025.py            # writes units/data/pre2025.json.gz
    /tmp/vp06/bin/python tools/extract_pre2025.py --check    # only print the checks

`--current-python` (default: the repository's `.venv/bin/python`) is an interpreter with the
product's own `vietnam-provinces` (2025.10.x): successor codes are the codes of THAT data, the
one the current tree is imported from. The two sources do not always agree on a new commune's
code (vietnamadminunits has Phường Láng, Hà Nội as 00199, vietnam-provinces 2025.10.1 as
00187), so a new commune is matched by (province code, official name); the tool reports any
new commune it cannot match.

Sources:
- the old tree (63 provinces, 696 districts, 10,051 communes, valid until 30 June 2025):
  `vietnam-provinces` 0.6.0 (data of 2025-01-04), `data/nested-divisions.json`;
- each old commune's successor commune(s) since 1 July 2025: `vietnamadminunits` 1.0.x,
  `data/converter_2025.json` (keys are name keys), joined to official codes through the same
  package's `data/dataset.db` (tables `admin_units_legacy` and `admin_units`), and to the
  product's current data (`vietnam-provinces` 2025.10.x) by name.

Output (gzip JSON, compact rows): `provinces` [code, name, kind, successor province code],
`districts` [code, name, kind, province code, successor commune codes], `communes` [code, name,
kind, district code, [[successor code, is_primary], …]]. `is_primary` is the converter's
`isDefaultNewWard` for a commune split between several new ones (the converter gives no area
share of the old commune, only the new one's area), and true for an undivided commune. A commune
the converter does not know keeps an empty successor list: the product keeps it and lists it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sqlite3
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "services/giamsat/units/data/pre2025.json.gz"
#: Run in the product's environment: its current communes, {province code: {name: code}}.
CURRENT_SCRIPT = """
import json
from vietnam_provinces import Province, Ward, __version__
print(json.dumps({"version": __version__, "provinces": {
    f"{int(p.code):02d}": {w.name: f"{int(w.code):05d}" for w in Ward.iter_by_province(p.code)}
    for p in Province.iter_all()}}, ensure_ascii=False))
"""


def load_current(python: str) -> tuple[str, dict[str, dict[str, str]]]:
    out = subprocess.run([python, "-c", CURRENT_SCRIPT], check=True, capture_output=True)
    data = json.loads(out.stdout)
    return f"vietnam-provinces {data['version']}", data["provinces"]


# Kind from the name's prefix: 0.6.0's division_type says "tỉnh"/"huyện"/"xã" for every unit.
PROVINCE_KINDS = (("Thành phố ", "thành phố trung ương"), ("Tỉnh ", "tỉnh"))
DISTRICT_KINDS = (
    ("Quận ", "quận"),
    ("Huyện ", "huyện"),
    ("Thị xã ", "thị xã"),
    ("Thành phố ", "thành phố"),
)
COMMUNE_KINDS = (("Phường ", "phường"), ("Thị trấn ", "thị trấn"), ("Xã ", "xã"))


def kind_of(name: str, kinds: tuple[tuple[str, str], ...]) -> str:
    return next((kind for prefix, kind in kinds if name.startswith(prefix)), "")


def load_old_tree():
    import vietnam_provinces

    assert vietnam_provinces.__version__ == "0.6.0", vietnam_provinces.__version__
    data = json.loads(Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH).read_text("utf-8"))
    provinces, districts, communes = [], [], []
    for p in data:
        pcode = f"{p['code']:02d}"
        provinces.append([pcode, p["name"], kind_of(p["name"], PROVINCE_KINDS)])
        for d in p["districts"]:
            dcode = f"{d['code']:03d}"
            districts.append([dcode, d["name"], kind_of(d["name"], DISTRICT_KINDS), pcode])
            for w in d["wards"]:
                communes.append(
                    [f"{w['code']:05d}", w["name"], kind_of(w["name"], COMMUNE_KINDS), dcode]
                )
    version = (
        f"vietnam-provinces {vietnam_provinces.__version__} ({vietnam_provinces.__data_version__})"
    )
    return version, provinces, districts, communes


def folded(name: str) -> str:
    """Name without marks, dash kinds or doubled spaces ("Hoà" and "Hòa", "Thuỷ" and "Thủy"
    are spelt both ways)."""
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    for dash in "–—":  # "Chân Mây – Lăng Cô" and "Chân Mây - Lăng Cô"
        plain = plain.replace(dash, "-")
    return " ".join(plain.replace("'", "").split())


def current_code(communes: dict[str, str], name: str, code: str) -> str | None:
    """The current data's code of a new commune: by name, by folded name, else by the same
    code when the current data has it."""
    if name in communes:
        return communes[name]
    by_folded = {folded(n): c for n, c in communes.items()}
    if folded(name) in by_folded:
        return by_folded[folded(name)]
    return code if code in communes.values() else None


def load_successors(current: dict[str, dict[str, str]]):
    import importlib.metadata

    import vietnamadminunits

    root = Path(vietnamadminunits.__file__).parent / "data"
    converter = json.loads((root / "converter_2025.json").read_text("utf-8"))
    db = sqlite3.connect(root / "dataset.db")
    legacy = {
        (pk, dk, wk): (pc, dc, wc)
        for pk, dk, wk, pc, dc, wc in db.execute(
            "select provinceKey, districtKey, wardKey, provinceCode, districtCode, wardCode"
            " from admin_units_legacy"
        )
    }
    legacy_district = {(pk, dk): dc for (pk, dk, _wk), (_pc, dc, _wc) in legacy.items()}
    legacy_province = {pk: pc for (pk, _dk, _wk), (pc, _dc, _wc) in legacy.items()}
    new_ward, new_ward_province, unknown = {}, {}, []
    for pk, wk, name, wc, pc in db.execute(
        "select provinceKey, wardKey, ward, wardCode, provinceCode from admin_units"
    ):
        code = current_code(current.get(pc, {}), name, wc)
        if code is None:
            unknown.append(f"{pc} {name} ({wc})")
            code = wc
        new_ward[(pk, wk)] = code
        new_ward_province[code] = pc
    new_province = {
        pk: pc for pk, pc in db.execute("select provinceKey, provinceCode from admin_units")
    }
    province_successor: dict[str, str] = {}
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            province_successor[legacy_province[old_key]] = new_province[new_key]
    # old commune code → {new commune code: is_primary}; old district code → new codes (islands)
    commune_successors: dict[str, dict[str, bool]] = defaultdict(dict)
    district_successors: dict[str, list[str]] = defaultdict(list)
    unmatched: list[str] = []

    def old_code(new_pkey: str, old_key: str, new_code: str, primary: bool) -> None:
        pk, dk, wk = old_key.split("_")
        if not wk:  # an island district without communes became a special zone (đặc khu)
            district_successors[legacy_district[(pk, dk)]].append(new_code)
            return
        found = legacy.get((pk, dk, wk))
        if found is None:
            unmatched.append(f"key without a legacy unit {new_pkey}: {old_key}")
            return
        commune_successors[found[2]][new_code] = primary

    for new_pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            for old_key in old_keys:
                old_code(new_pkey, old_key, new_ward[(new_pkey, new_wkey)], True)
    for new_pkey, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, news in olds.items():
            for new in news:
                code = new_ward[(new_pkey, new["newWardKey"])]
                old_code(new_pkey, old_key, code, bool(new["isDefaultNewWard"]))
    unmatched += [f"new commune not in the current data: {u}" for u in unknown]
    version = f"vietnamadminunits {importlib.metadata.version('vietnamadminunits')}"
    return (
        version,
        province_successor,
        commune_successors,
        district_successors,
        unmatched,
        new_ward_province,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the checks, write nothing")
    parser.add_argument(
        "--current-python",
        default=str(ROOT / ".venv/bin/python"),
        help="an interpreter with the product's vietnam-provinces (2025.10.x)",
    )
    args = parser.parse_args()
    tree_version, provinces, districts, communes = load_old_tree()
    current_version, current = load_current(args.current_python)
    conv_version, prov_succ, commune_succ, district_succ, unmatched, ward_province = (
        load_successors(current)
    )
    district_province = {d[0]: d[3] for d in districts}
    problems: list[str] = [f"converter: {u}" for u in unmatched]
    without: list[str] = []
    for c in communes:
        succ = commune_succ.get(c[0], {})
        if succ and not any(succ.values()):
            # A split commune without a default: the first listed new commune becomes primary.
            succ[next(iter(succ))] = True
            problems.append(f"commune {c[0]} {c[1]}: no default successor; first one chosen")
        c.append(sorted([code, primary] for code, primary in succ.items()))
        province = prov_succ.get(district_province[c[3]])
        for code in succ:
            if ward_province[code] != province:
                problems.append(f"commune {c[0]} {c[1]}: successor {code} is outside {province}")
        if not succ:
            without.append(f"{c[0]} {c[1]} ({district_province[c[3]]})")
    for p in provinces:
        p.append(prov_succ.get(p[0], ""))
        if not p[3]:
            problems.append(f"province {p[0]} {p[1]} has no successor province")
    for d in districts:
        d.append(sorted(district_succ.get(d[0], [])))
    print(f"{len(provinces)} provinces, {len(districts)} districts, {len(communes)} communes")
    print(f"{sum(1 for c in communes if len(c[4]) > 1)} communes split between several new ones")
    print(f"{len(without)} communes without a successor (kept, marked): {', '.join(without)}")
    for problem in problems:
        print("problem:", problem)
    if args.check:
        return 0
    payload = {
        "sources": {
            "tree": tree_version,
            "successors": conv_version,
            "successor_codes": current_version,
        },
        "valid_to": "2025-07-01",
        "provinces": provinces,
        "districts": districts,
        "communes": communes,
    }
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0: the same data gives the same bytes, so a re-run shows no diff.
    OUT.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
