"""Applying manifests to real tenant schemas: the official tree, idempotence, history."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from vietnam_provinces import ProvinceCode, Ward

from giamsat.core.audit import AuditEntry
from giamsat.domains import rule_specs
from giamsat.tenancy.manifest import ManifestError, parse_manifest
from giamsat.tenancy.models import Tenant
from giamsat.units.models import Organization, TenantRule, Unit, UnitLevel
from giamsat.units.operations import attach_to_parent
from tests.plugins.tenancy import DATA, TENANTS_DIR, count, drop_tenant, load_as, manifest_text

RULES = rule_specs()  # the rules every domain declares

NB = "tt-ninh-binh"


@pytest.fixture(scope="module")
def ninh_binh(engine, settings, world):
    """Ninh Bình applied once for the module (129 communes), dropped afterwards."""
    from giamsat.commands.tenants import apply_manifest_file

    lines: list[str] = []
    report = apply_manifest_file(
        engine, settings, load_as(TENANTS_DIR / "ninh-binh.toml", NB), echo=lines.append
    )
    yield report, lines
    drop_tenant(engine, NB)


def _state(session):
    """Everything an apply could touch: row counts, audit size, latest updated_at per table."""
    return {
        "counts": [
            count(session, m) for m in (UnitLevel, Unit, Organization, TenantRule, AuditEntry)
        ],
        "updated": [
            session.scalar(select(func.max(m.updated_at))) for m in (Unit, Organization, TenantRule)
        ],
    }


def test_ninh_binh_has_exactly_its_129_official_communes(ninh_binh, schema_session, engine):
    report, lines = ninh_binh
    s = schema_session(NB)
    [province] = s.scalars(select(Unit).where(Unit.parent_id.is_(None))).all()
    assert (province.level_code, province.official_code, province.name, province.kind) == (
        "province",
        "37",
        "Tỉnh Ninh Bình",
        "tỉnh",
    )
    communes = s.scalars(
        select(Unit).where(Unit.level_code == "commune", Unit.valid_to.is_(None))
    ).all()
    official = {
        f"{int(w.code):05d}": (w.name, w.division_type.value)
        for w in Ward.iter_by_province(ProvinceCode(37))
    }
    assert len(communes) == 129
    assert {u.official_code: (u.name, u.kind) for u in communes} == official
    assert {u.kind for u in communes} == {"xã", "phường"}
    assert all(
        u.parent_id == province.id
        and u.path == f"{province.path}{u.id}/"
        and u.valid_from == dt.date(2025, 7, 1)
        for u in communes
    )
    current = select(func.count()).select_from(Unit).where(Unit.valid_to.is_(None))
    assert s.scalar(current) == 130
    # Plus the pre-2025 history ([history]): 3 old provinces, 22 districts, 398 communes.
    assert count(s, Unit) == 130 + 423
    # The registry row, and progress in [i/n] stages.
    with Session(engine) as shared:
        tenant = shared.scalar(select(Tenant).where(Tenant.slug == NB))
    assert (tenant.name, tenant.province_code, tenant.schema_name) == (
        "Ninh Bình",
        37,
        "t_tt_ninh_binh",
    )
    assert [line for line in lines if "[" in line] == [
        "  [1/4] levels",
        "  [2/4] organizations",
        "  [3/4] units",
        "  [4/4] rules",
    ]
    assert "      units 130/130" in lines
    assert report.count("unit", "create") == 130 + 423


def test_ninh_binh_levels_organizations_and_rules(ninh_binh, schema_session):
    s = schema_session(NB)
    assert [
        (lv.code, lv.rank, lv.holds_residential_areas, lv.is_residential_area)
        for lv in s.scalars(select(UnitLevel).order_by(UnitLevel.rank, UnitLevel.code))
    ] == [
        ("province", 0, False, False),
        ("commune", 1, True, False),
        ("old_province", 1, False, False),
        ("district", 2, False, False),
        ("residential_area", 2, False, True),
        ("old_commune", 3, True, False),
    ]
    orgs = s.scalars(select(Organization).order_by(Organization.sort_order)).all()
    assert [(o.code, o.short_name, o.is_enabled) for o in orgs] == [
        ("mttq", "MTTQ", True),
        ("hlhpn", "Hội LHPN", True),
        ("hnd", "Hội Nông dân", True),
        ("hccb", "Hội CCB", True),
        ("doan", "Đoàn TNCS Hồ Chí Minh", True),
        ("congdoan", "Công đoàn", True),
    ]
    rules = {r.key: r for r in s.scalars(select(TenantRule))}
    assert rules["response_days"].value == 20 and rules["response_days_complex"].value == 30
    assert rules["report_deadline_quarterly"].value == {"month_of_quarter": 3, "before_day": 20}
    assert rules["report_deadline_six_monthly"].value == {"month": 6, "before_day": 20}
    assert rules["report_deadline_yearly"].value == {"month": 12, "before_day": 15}
    assert rules["report_ad_hoc"].value is True
    assert rules["box_min_witnesses"].source.startswith("[UNCONFIRMED]")
    assert "[CONFIRMED" in rules["report_deadline_quarterly"].source
    assert all(r.source and not r.is_overridden for r in rules.values())
    # Every change was audited as the system.
    labels = set(s.scalars(select(AuditEntry.actor_label)))
    assert labels == {"system"}
    assert (
        s.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.object_type == "unit")
        )
        == 130 + 423
    )


def test_applying_ninh_binh_again_changes_nothing(ninh_binh, schema_session, apply):
    s = schema_session(NB)
    before = _state(s)
    s.close()
    report = apply(load_as(TENANTS_DIR / "ninh-binh.toml", NB))
    assert not report.changed and report.summary() == "nothing changed"
    assert report.absent_units == [] and report.kept_overridden_rules == []
    assert _state(schema_session(NB)) == before


@pytest.fixture()
def three_level(engine):
    yield "tt-ba-cap"
    drop_tenant(engine, "tt-ba-cap")


def test_three_level_history_with_districts_and_successors(three_level, apply, schema_session):
    report = apply(load_as(DATA / "three-level.toml", three_level))
    assert report.count("unit", "create") == 8
    s = schema_session(three_level)
    by_code = {u.official_code: u for u in s.scalars(select(Unit))}
    province, east, west = by_code["98"], by_code["901"], by_code["902"]
    an_hoa, binh_minh, tay_son_old = by_code["90101"], by_code["90102"], by_code["90201"]
    an_binh, tay_son = by_code["90900"], by_code["90901"]
    # Four levels then, three now.
    assert [lv.code for lv in s.scalars(select(UnitLevel).order_by(UnitLevel.rank))] == [
        "province",
        "district",
        "commune",
        "residential_area",
    ]
    assert an_hoa.path == f"/{province.id}/{east.id}/{an_hoa.id}/"
    assert tay_son_old.parent_id == west.id and tay_son_old.kind == "thị trấn"
    assert an_binh.path == f"/{province.id}/{an_binh.id}/"
    # Merged communes point to the commune that took them over, and are no longer current.
    assert an_hoa.successor_id == binh_minh.successor_id == an_binh.id
    assert tay_son_old.successor_id == tay_son.id
    assert an_hoa.valid_to == east.valid_to == dt.date(2025, 7, 1)
    assert not an_hoa.is_current(dt.date(2025, 7, 1)) and an_hoa.is_current(dt.date(2025, 6, 30))
    assert an_binh.is_current(dt.date(2025, 7, 1)) and not an_binh.is_current(dt.date(2025, 6, 30))
    current = s.scalars(select(Unit.official_code).where(Unit.valid_to.is_(None))).all()
    assert sorted(current) == ["90900", "90901", "98"]
    # Organizations per manifest: Công đoàn present but not enabled; CCB at two levels.
    orgs = {o.code: o for o in s.scalars(select(Organization))}
    assert not orgs["congdoan"].is_enabled and orgs["hccb"].level_codes == ["province", "commune"]
    rules = {r.key: r for r in s.scalars(select(TenantRule))}
    assert rules["response_days"].value == 15
    assert rules["response_days"].source == "Quy chế thử nghiệm của tỉnh [UNCONFIRMED]"
    assert rules["box_min_witnesses"].value == 3


def test_reapply_updates_what_changed_keeps_overrides_and_reports_extra_units(
    three_level, apply, schema_session
):
    apply(load_as(DATA / "three-level.toml", three_level))
    s = schema_session(three_level)
    by_code = {u.official_code: u for u in s.scalars(select(Unit))}
    # A commune adds a residential area; an admin overrides a rule; someone adds a unit by hand.
    area = Unit(
        level_code="residential_area", name="Thôn Đông", kind="thôn", valid_from=dt.date(2025, 7, 1)
    )
    attach_to_parent(s, area, by_code["90900"])
    s.get(TenantRule, "box_min_witnesses").value = 4
    s.get(TenantRule, "box_min_witnesses").is_overridden = True
    extra = Unit(
        level_code="commune",
        name="Xã Ngoài Danh Sách",
        kind="xã",
        official_code="90999",
        valid_from=dt.date(2025, 7, 1),
    )
    attach_to_parent(s, extra, by_code["98"])
    s.commit()
    audit_before = count(s, AuditEntry)
    s.close()

    # The new version: Xã An Bình renamed and moved under… the old district (a correction);
    # response deadline changed; box witnesses changed too (but overridden by the admin).
    text = manifest_text(DATA / "three-level.toml", three_level)
    text = text.replace(
        'name = "Xã An Bình"\nkind = "xã"\nparent_level = "province"',
        'name = "Xã An Bình Mới"\nkind = "xã"\nparent_level = "district"',
    )
    text = text.replace(
        'parent = "98"\nvalid_from = 2025-07-01\n\n[[units]]',
        'parent = "901"\nvalid_from = 2025-07-01\n\n[[units]]',
        1,
    )
    text = text.replace("response_days = 15", "response_days = 10")
    text = text.replace("box_min_witnesses = 3", "box_min_witnesses = 5")
    report = apply(parse_manifest(text, "v2.toml", rules=RULES))

    assert report.count("unit", "update") == 1 and report.count("tenant_rule", "update") == 1
    assert report.count("unit", "create") == 0
    assert report.kept_overridden_rules == ["box_min_witnesses"]
    assert report.absent_units == [f"Xã Ngoài Danh Sách (commune 90999, id {extra.id})"]
    s = schema_session(three_level)
    moved = s.scalar(select(Unit).where(Unit.official_code == "90900"))
    east = s.scalar(select(Unit).where(Unit.official_code == "901"))
    assert moved.name == "Xã An Bình Mới" and moved.parent_id == east.id
    assert moved.path == f"{east.path}{moved.id}/"
    # The residential area moved with its commune; the extra unit is still there.
    assert s.get(Unit, area.id).path == f"{moved.path}{area.id}/"
    assert s.get(Unit, extra.id) is not None
    assert s.get(TenantRule, "response_days").value == 10
    assert s.get(TenantRule, "box_min_witnesses").value == 4
    entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(audit_before)).all()
    assert [(e.action, e.object_type) for e in entries] == [
        ("update", "unit"),
        ("update", "tenant_rule"),
        ("apply", "tenant_manifest"),
    ]
    assert entries[0].changes["name"] == ["Xã An Bình", "Xã An Bình Mới"]
    assert entries[0].changes["parent_id"][1] == east.id


def test_a_failure_inside_the_tenant_leaves_its_schema_untouched(
    three_level, apply, schema_session, monkeypatch
):
    from giamsat.units import provisioning

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(provisioning, "apply_rules", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        apply(load_as(DATA / "three-level.toml", three_level))
    s = schema_session(three_level)
    # Levels, organizations and units were written before the failure: all rolled back.
    assert [count(s, m) for m in (UnitLevel, Organization, Unit, AuditEntry)] == [0, 0, 0, 0]


def test_a_province_code_taken_by_another_tenant_is_refused(three_level, apply, world):
    manifest = load_as(DATA / "three-level.toml", three_level)
    manifest = dataclasses.replace(manifest, province_code=91)
    with pytest.raises(ManifestError, match="province_code 91 already belongs to tenant 'alpha'"):
        apply(manifest)


def test_apply_creates_the_tenants_bucket_once(ninh_binh, engine, settings):
    import io

    from giamsat.core.storage import ensure_bucket, new_key, storage_for

    report, lines = ninh_binh
    with Session(engine) as s:
        bucket = s.scalar(select(Tenant.bucket_name).where(Tenant.slug == NB))
    assert bucket == f"{settings.s3_bucket_prefix}-{NB}"
    assert f"  bucket {bucket}: created" in lines
    # It exists on the real S3 server: creating it again is a no-op, and it takes objects.
    assert ensure_bucket(settings, bucket) is False
    storage = storage_for(bucket, settings)
    key = new_key("probe")
    storage.put(key, io.BytesIO(b"ok"), length=2)
    assert storage.exists(key)
    storage.delete(key)
