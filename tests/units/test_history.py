"""Pre-2025 history from the shipped data: the old provinces, districts and communes that formed a
province, their successors, idempotent re-apply, units without a successor, isolation."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from vietnam_provinces import ProvinceCode, Ward

from giamsat.core.audit import AuditEntry
from giamsat.tenancy.manifest import ManifestError
from giamsat.tenancy.names import schema_for
from giamsat.units import pre2025
from giamsat.units.models import Unit, UnitSuccessor
from tests.plugins.tenancy import RULES, TENANTS_DIR, applied, count, load_as, parse_manifest

NB = "th-ninh-binh"
SON_LA = "th-son-la"
REFORM = dt.date(2025, 7, 1)


def _new_communes(code: int) -> set[str]:
    return {f"{int(w.code):05d}" for w in Ward.iter_by_province(ProvinceCode(code))}


@pytest.fixture(scope="module")
def ninh_binh(engine, settings, world):
    with applied(engine, settings, load_as(TENANTS_DIR / "ninh-binh.toml", NB)) as result:
        yield result


@pytest.fixture(scope="module")
def son_la(engine, settings, world):
    text = f"""
slug = "{SON_LA}"
name = "Sơn La"
province_code = 14

[history]
pre_2025 = true
"""
    with applied(engine, settings, parse_manifest(text, "son-la.toml", rules=RULES)) as result:
        yield result


@pytest.fixture()
def apply(engine, settings):
    from giamsat.commands.tenants import apply_manifest_file

    return lambda manifest: apply_manifest_file(engine, settings, manifest, echo=lambda _: None)


def _session(engine, slug):
    from sqlalchemy.orm import Session

    return Session(engine.execution_options(schema_translate_map={None: schema_for(slug)}))


# --- the shipped data -------------------------------------------------------------------------


def test_the_data_is_the_whole_country_before_the_reform():
    data = pre2025.load()
    provinces = data.provinces.values()
    assert len(data.provinces) == 63
    assert sum(len(p.districts) for p in provinces) == 696
    assert sum(len(p.successors) for p in provinces) == 10_051
    assert data.valid_to == REFORM
    assert data.sources == {
        "tree": "vietnam-provinces 0.6.0 (2025-01-04)",
        "successors": "vietnamadminunits 1.0.4",
        # Successor codes are those of the current tree's own data, matched by name.
        "successor_codes": "vietnam-provinces 2025.10.1",
    }
    # New Ninh Bình = old Ninh Bình + Hà Nam + Nam Định.
    assert {(p.unit.code, p.unit.name) for p in data.formed("37")} == {
        ("35", "Tỉnh Hà Nam"),
        ("36", "Tỉnh Nam Định"),
        ("37", "Tỉnh Ninh Bình"),
    }
    assert [p.unit.code for p in data.formed("01")] == ["01"]


def test_every_successor_is_a_current_commune_of_the_new_province():
    data = pre2025.load()
    without = []
    for old in data.provinces.values():
        current = _new_communes(int(old.successor))
        for code, successors in old.successors.items():
            assert {s.code for s in successors} <= current, code
            if successors:
                # Exactly one primary: records count once.
                assert sum(s.is_primary for s in successors) == 1, code
            else:
                without.append(code)
    # The conversion names no successor for 26 communes (Sơn La, Bắc Giang, Hà Tĩnh,
    # TP Hồ Chí Minh…): kept and listed at apply, never dropped.
    assert len(without) == 26
    nb_and_hn = [c for p in ("35", "36", "37", "01") for c in data.provinces[p].successors]
    assert not set(without) & set(nb_and_hn)


# --- applying ---------------------------------------------------------------------------------


def test_ninh_binh_gets_its_three_old_provinces_under_the_new_one(ninh_binh, engine):
    report, lines = ninh_binh
    with _session(engine, NB) as s:
        [root] = s.scalars(select(Unit).where(Unit.parent_id.is_(None))).all()
        assert (root.level_code, root.official_code) == ("province", "37")
        old = s.scalars(
            select(Unit).where(Unit.level_code == "old_province").order_by(Unit.official_code)
        ).all()
        assert [(u.official_code, u.name, u.parent_id, u.successor_id) for u in old] == [
            ("35", "Tỉnh Hà Nam", root.id, root.id),
            ("36", "Tỉnh Nam Định", root.id, root.id),
            ("37", "Tỉnh Ninh Bình", root.id, root.id),
        ]
        by_level = dict(
            s.execute(select(Unit.level_code, func.count()).group_by(Unit.level_code)).all()
        )
        assert by_level == {
            "province": 1,
            "commune": 129,
            "old_province": 3,
            "district": 22,
            "old_commune": 398,
        }
        # Old units ended on 1 July 2025 (valid until 30 June), new ones start that day.
        history = s.scalars(select(Unit).where(Unit.valid_to.is_not(None))).all()
        assert len(history) == 423 and {u.valid_to for u in history} == {REFORM}
        assert not any(u.is_current(dt.date(2026, 1, 10)) for u in history)
        assert all(u.is_current(dt.date(2024, 6, 30)) for u in history)
        # Four levels before the reform: old province → district → commune (→ residential area).
        gia_tan = s.scalar(
            select(Unit).where(Unit.level_code == "old_commune", Unit.official_code == "14503")
        )
        district = s.get(Unit, gia_tan.parent_id)
        province = s.get(Unit, district.parent_id)
        assert (district.name, district.level_code) == ("Huyện Gia Viễn", "district")
        assert (province.name, province.parent_id) == ("Tỉnh Ninh Bình", root.id)
        assert gia_tan.path == f"/{root.id}/{province.id}/{district.id}/{gia_tan.id}/"
        assert gia_tan.level.holds_residential_areas
        # Every old commune has its successors in the new province.
        current = {
            u.id: u.official_code
            for u in s.scalars(select(Unit).where(Unit.level_code == "commune"))
        }
        links = s.scalars(select(UnitSuccessor)).all()
        communes = s.scalars(select(Unit).where(Unit.level_code == "old_commune")).all()
        linked = {row.unit_id for row in links}
        assert all(u.id in linked and u.successor_id in current for u in communes)
        assert {current[r.successor_id] for r in links if r.successor_id in current} <= (
            _new_communes(37)
        )
        # The partially split commune: two successors, one primary (Unit.successor_id).
        split = {(current[r.successor_id], r.is_primary) for r in links if r.unit_id == gia_tan.id}
        assert split == {("14488", True), ("14533", False)}
        assert current[gia_tan.successor_id] == "14488"
    assert report.without_successor == [] and report.absent_units == []
    assert report.count("unit", "create") == 130 + 423
    assert report.count("unit_successor", "create") == len(links)
    assert any("history units 423 (vietnam-provinces 0.6.0" in line for line in lines)


def test_applying_the_history_again_writes_nothing(ninh_binh, engine, apply):
    with _session(engine, NB) as s:
        before = [count(s, m) for m in (Unit, UnitSuccessor, AuditEntry)]
        updated = s.scalar(select(func.max(Unit.updated_at)))
    report = apply(load_as(TENANTS_DIR / "ninh-binh.toml", NB))
    assert not report.changed and report.summary() == "nothing changed"
    assert report.absent_units == [] and report.absent_levels == []
    with _session(engine, NB) as s:
        assert [count(s, m) for m in (Unit, UnitSuccessor, AuditEntry)] == before
        assert s.scalar(select(func.max(Unit.updated_at))) == updated


def test_a_commune_without_successor_is_kept_marked_and_listed(son_la, engine, apply):
    report, _ = son_la
    data = pre2025.load()
    expected = sorted(c for c, succ in data.provinces["14"].successors.items() if not succ)
    assert expected == ["03751", "03898", "03913", "03988", "03991", "04003", "04060"]
    assert len(report.without_successor) == 7
    assert "Xã Chiềng Ly (old_commune 03751)" in report.without_successor
    with _session(engine, SON_LA) as s:
        kept = s.scalars(
            select(Unit)
            .where(Unit.level_code == "old_commune", Unit.successor_id.is_(None))
            .order_by(Unit.official_code)
        ).all()
        assert [u.official_code for u in kept] == expected
        assert all("vietnamadminunits 1.0.4" in (u.retired_reason or "") for u in kept)
        assert all(u.valid_to == REFORM for u in kept)
    # Listed again on every apply, and still nothing is written.
    again = apply(
        parse_manifest(
            f'slug = "{SON_LA}"\nname = "Sơn La"\nprovince_code = 14\n[history]\npre_2025 = true\n',
            "son-la.toml",
            rules=RULES,
        )
    )
    assert not again.changed and again.without_successor == report.without_successor


def test_history_needs_the_official_structure():
    text = (
        'slug = "x"\nname = "X"\nprovince_code = 37\n[structure]\nsource = "manifest"\n'
        '[[units]]\nlevel = "province"\ncode = "37"\nname = "Tỉnh X"\n'
        "[history]\npre_2025 = true\ncolour = 1\n"
    )
    with pytest.raises(ManifestError) as raised:
        parse_manifest(text, "x.toml", rules=RULES)
    assert raised.value.problems == [
        "[history] has an unknown key 'colour' (allowed: pre_2025)",
        '[history] pre_2025 needs [structure] source = "vietnam-provinces"',
    ]


def test_other_tenants_hold_none_of_it(ninh_binh, son_la, tenant_session, world):
    """Tenant isolation: the history lives in its own tenant's schema only."""
    for slug in ("alpha", "beta"):
        s = tenant_session(slug)
        assert count(s, UnitSuccessor) == 0
        assert (
            s.scalar(
                select(func.count())
                .select_from(Unit)
                .where(Unit.level_code.in_(("old_province", "district", "old_commune")))
            )
            == 0
        )
    # Ninh Bình's schema does not hold Sơn La's history, nor the reverse.
    s = tenant_session(NB)
    assert (
        s.scalar(select(func.count()).select_from(Unit).where(Unit.official_code == "03751")) == 0
    )
    s = tenant_session(SON_LA)
    assert (
        s.scalar(select(func.count()).select_from(Unit).where(Unit.official_code == "14503")) == 0
    )


def test_ha_noi_asks_for_old_ha_noi_only():
    """What apply will create for Hà Nội, read from its manifest and the data (no database)."""
    from giamsat.units.history import wanted_history

    wanted = wanted_history(load_as(TENANTS_DIR / "ha-noi.toml", "th-ha-noi"))
    levels = [w.key[0] for w in wanted]
    assert (levels.count("old_province"), levels.count("district")) == (1, 30)
    assert levels.count("old_commune") == 526
    seen = {("province", "01")}
    for w in wanted:  # parents first
        assert w.parent in seen, w.key
        seen.add(w.key)
    communes = [w for w in wanted if w.key[0] == "old_commune"]
    current = {("commune", c) for c in _new_communes(1)}
    assert all(w.successor in current and w.retired_reason is None for w in communes)
    assert all(sum(primary for _, primary in w.links) == 1 for w in communes)
    assert sum(len(w.links) > 1 for w in communes) == 199  # split between several new wards


def test_a_changed_old_unit_and_link_are_set_back_and_audited(ninh_binh, engine, apply):
    """The re-apply compares in bulk, but what differs is still repaired and audited."""
    with _session(engine, NB) as s:
        commune = s.scalars(
            select(Unit).where(Unit.level_code == "old_commune").order_by(Unit.official_code)
        ).first()
        link = s.scalars(select(UnitSuccessor).where(UnitSuccessor.unit_id == commune.id)).first()
        name, primary, source = commune.name, link.is_primary, link.source
        unit_id, key = commune.id, (link.unit_id, link.successor_id)
        commune.name = "Tên sửa tay"
        link.is_primary, link.source = not primary, "sửa tay"
        s.commit()
        audits = count(s, AuditEntry)
    report = apply(load_as(TENANTS_DIR / "ninh-binh.toml", NB))
    assert report.count("unit", "update") == 1
    assert report.count("unit_successor", "update") == 1
    with _session(engine, NB) as s:
        assert s.get(Unit, unit_id).name == name
        again = s.get(UnitSuccessor, key)
        assert (again.is_primary, again.source) == (primary, source)
        # Two entries (the unit, the link) and the apply's own.
        assert count(s, AuditEntry) == audits + 3
    assert not apply(load_as(TENANTS_DIR / "ninh-binh.toml", NB)).changed
