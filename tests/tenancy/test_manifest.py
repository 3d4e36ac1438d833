"""Parsing and validating manifests: specific messages, every problem at once."""

from __future__ import annotations

import pytest

from giamsat.domains import rule_specs
from giamsat.tenancy.manifest import (
    ORGANIZATION_CODES,
    ManifestError,
    load_manifest,
    parse_manifest,
)
from giamsat.units import provisioning
from giamsat.units.desired import check_manifest, desired_units
from tests.plugins.tenancy import DATA, TENANTS_DIR

RULES = rule_specs()  # the rules every domain declares

MINIMAL = """
slug = "thu"
name = "Thử"
province_code = 37
"""


def problems(text: str, path: str = "tenants/x.toml") -> list[str]:
    with pytest.raises(ManifestError) as caught:
        check_manifest(parse_manifest(text, path, rules=RULES))
    return str(caught.value).splitlines()


@pytest.mark.parametrize("value", ["0", "-3", "true", '"20"', "2.5"])
def test_response_days_must_be_a_positive_integer(value):
    assert problems(MINIMAL + f"[rules]\nresponse_days = {value}\n") == [
        "tenants/x.toml: [rules] response_days must be a positive integer"
    ]


def test_every_problem_is_reported_at_once():
    # Rules are checked domain by domain (giamsat.domains order): the letters' before reports'.
    text = """
slug = "Ninh Binh"
name = "Thử"
province_code = 37
colour = "red"
[organizations]
enabled = ["mttq", "hoi-sinh-vien"]
[rules]
box_opening_frequency = "daily"
report_deadline_yearly = { month = 2, before_day = 30 }
[structure]
valid_from = "1 tháng 7"
"""
    found = problems(text)
    assert found == [
        "tenants/x.toml: has an unknown key 'colour' (allowed: history, levels, name, organizations, "
        "province_code, rule_sources, rules, slug, status, structure, units)",
        'tenants/x.toml: slug must be lowercase ASCII words joined by hyphens, like "ninh-binh"',
        "tenants/x.toml: [structure] valid_from must be a date like 2025-07-01",
        "tenants/x.toml: [organizations] enabled has an unknown organization 'hoi-sinh-vien' "
        "(known: mttq, hlhpn, hnd, hccb, doan, congdoan)",
        'tenants/x.toml: [rules] box_opening_frequency must be one of: "weekly", '
        '"twice_monthly", "monthly", "quarterly"',
        "tenants/x.toml: [rules] report_deadline_yearly is not a day of the year",
    ]


@pytest.mark.parametrize(
    "snippet, message",
    [
        (
            "[rules]\nresponse_days = 30\nresponse_days_complex = 20\n",
            "[rules] response_days_complex must not be shorter than response_days",
        ),
        (
            "[rules]\nreport_deadline_quarterly = { month_of_quarter = 4, before_day = 20 }\n",
            "[rules] report_deadline_quarterly month_of_quarter must be 1, 2 or 3 (month within the "
            "quarter)",
        ),
        (
            "[rules]\nreport_deadline_quarterly = { before_day = 20 }\n",
            "[rules] report_deadline_quarterly must be a table with exactly the keys month_of_quarter, "
            "before_day",
        ),
        (
            "[rules]\nresponse_day = 20\n",
            "[rules] has an unknown key 'response_day' (allowed: box_key_holder, box_min_witnesses, "
            "box_minutes_required, box_opening_day, box_opening_frequency, days_off, "
            "public_submissions_per_address_per_hour, public_submissions_per_unit_per_hour, "
            "receipt_lookups_per_address_per_10_minutes, recommendation_response_days, "
            "reminder_days_before_due, report_ad_hoc, "
            "report_cutoff_quarterly, report_cutoff_six_monthly, report_cutoff_yearly, "
            "report_deadline_quarterly, report_deadline_six_monthly, report_deadline_yearly, "
            "residential_area_managers, response_days, response_days_complex, second_factor_roles)",
        ),
        (
            '[organizations]\nenabled = ["hlhpn"]\n',
            '[organizations] enabled must include "mttq" (the Front committee itself)',
        ),
        (
            '[organizations]\nlevels = { congdoan = ["district"] }\n',
            "[organizations] levels.congdoan must be a non-empty list of level codes from [[levels]] "
            "(commune, province, residential_area)",
        ),
        (
            '[[levels]]\ncode = "province"\nname_vi = "Tỉnh"\nname_en = "Province"\n'
            '[[levels]]\ncode = "commune"\nname_vi = "Xã"\nname_en = "Commune"\n',
            "[[levels]] must have exactly one level with is_residential_area = true",
        ),
        (
            '[[units]]\nlevel = "district"\ncode = "901"\nname = "Huyện Đông"\n',
            "[[units]] 901 level must be one of the [[levels]] codes (province, commune, "
            "residential_area)",
        ),
        (
            '[[units]]\nlevel = "commune"\ncode = 90101\nname = "Xã An"\n',
            '[[units]] #1 code must be quoted text, like "90101" (leading zeros matter)',
        ),
        (
            '[[units]]\nlevel = "commune"\ncode = "90101"\nname = "Xã An"\nparent = "37"\n'
            'successor = "14464"\n',
            "[[units]] 90101 has a successor, so it needs valid_to (the day it ended)",
        ),
        (
            '[[units]]\nlevel = "commune"\ncode = "90101"\nname = "Xã An"\nvalid_from = 2025-07-01\n'
            "valid_to = 2020-01-01\n",
            "[[units]] 90101 valid_to must be after valid_from",
        ),
        (
            '[[units]]\nlevel = "residential_area"\ncode = "1"\nname = "Thôn Một"\n',
            "[[units]] 1 residential areas are added by each commune, not by the manifest",
        ),
    ],
)
def test_specific_messages(snippet, message):
    assert problems(MINIMAL + snippet) == [f"tenants/x.toml: {message}"]


def test_references_to_units_that_do_not_exist_are_refused_before_applying():
    text = (
        MINIMAL
        + """
[[levels]]
code = "province"
name_vi = "Tỉnh"
name_en = "Province"
[[levels]]
code = "district"
name_vi = "Huyện"
name_en = "District"
[[levels]]
code = "commune"
name_vi = "Xã"
name_en = "Commune"
holds_residential_areas = true
[[levels]]
code = "residential_area"
name_vi = "Khu dân cư"
name_en = "Residential area"
is_residential_area = true
[[units]]
level = "district"
code = "369"
name = "Huyện Gia Viễn"
parent = "37"
valid_to = 2025-07-01
successor = "99999"
successor_level = "commune"
[[units]]
level = "commune"
code = "14464"
name = "Xã Gia Viễn"
"""
    )
    assert problems(text) == [
        "tenants/x.toml: [[units]] 14464 is already a commune unit of the official data; "
        "a code names one unit per level",
        "tenants/x.toml: [[units]] 369 has successor '99999', which is no commune unit of the "
        "manifest or the official data",
    ]


def test_unknown_official_province():
    text = MINIMAL.replace("province_code = 37", "province_code = 3")
    [message] = problems(text)
    assert message.startswith(
        "tenants/x.toml: province_code 3 is not a province in vietnam-provinces "
    )


def test_not_toml_and_unreadable(tmp_path):
    assert problems("slug = ")[0].startswith("tenants/x.toml: is not valid TOML (")
    with pytest.raises(ManifestError, match=r"missing\.toml: cannot be read"):
        load_manifest(tmp_path / "missing.toml", rules=RULES)


def test_a_value_without_a_source_is_marked_unconfirmed():
    manifest = parse_manifest(
        MINIMAL + "[rules]\nresponse_days = 25\n", "tenants/x.toml", rules=RULES
    )
    rules = {r.key: r for r in manifest.rules}
    assert rules["response_days"].value == 25
    assert rules["response_days"].source == (
        "tenants/x.toml: giá trị của tỉnh, chưa ghi nguồn [UNCONFIRMED]"
    )
    # Untouched rules keep their default with the default's source.
    assert rules["response_days_complex"].value == 30
    assert rules["response_days_complex"].source.startswith("QĐ 124-QĐ/TW (02/02/2018) Điều 8")
    assert rules["box_min_witnesses"].source.startswith("[UNCONFIRMED]")


def test_defaults_are_the_current_three_levels_and_all_organizations():
    manifest = parse_manifest(MINIMAL, "x", rules=RULES)
    assert [lv.code for lv in manifest.levels] == ["province", "commune", "residential_area"]
    assert manifest.enabled_organizations == ORGANIZATION_CODES


def test_organization_catalogue_matches_the_manifest_format():
    assert tuple(provisioning.ORGANIZATIONS) == ORGANIZATION_CODES


@pytest.mark.parametrize(
    "file, code, communes", [("ninh-binh.toml", 37, 129), ("ha-noi.toml", 1, 126)]
)
def test_repository_manifests_are_valid(file, code, communes):
    from vietnam_provinces import ProvinceCode, Ward

    manifest = load_manifest(TENANTS_DIR / file, rules=RULES)
    assert manifest.province_code == code
    units = desired_units(manifest)
    official = {f"{int(w.code):05d}": w.name for w in Ward.iter_by_province(ProvinceCode(code))}
    assert len(official) == communes
    assert {u.key[1]: u.name for u in units if u.key[0] == "commune"} == official
    assert {r.source.split("]")[0] + "]" for r in manifest.rules if r.source.startswith("[")} <= {
        "[UNCONFIRMED]",
        "[PARTIAL]",
    }


def test_three_level_manifest_is_ordered_parents_first():
    units = desired_units(load_manifest(DATA / "three-level.toml", rules=RULES))
    seen = set()
    for unit in units:
        assert unit.parent is None or unit.parent in seen
        seen.add(unit.key)
    assert len(units) == 8


@pytest.mark.parametrize(
    "value, message",
    [
        ("[2026-12-01]", 'days_off must be a list of days written as text "YYYY-MM-DD"'),
        ('"2026-12-01"', 'days_off must be a list of days written as text "YYYY-MM-DD"'),
        ('["2026-02-30"]', "days_off has '2026-02-30', which is not a day of the calendar"),
        ('["2026-12-01", "2026-12-01"]', "days_off lists a day twice"),
    ],
)
def test_days_off_are_a_list_of_iso_days(value, message):
    [problem] = problems(MINIMAL + f"[rules]\ndays_off = {value}\n")
    assert problem.startswith(f"tenants/x.toml: [rules] {message}")


def test_days_off_default_to_none_and_keep_the_province_list():
    parsed = parse_manifest(MINIMAL, "tenants/x.toml", rules=RULES)
    assert {r.key: r.value for r in parsed.rules}["days_off"] == []
    parsed = parse_manifest(
        MINIMAL + '[rules]\ndays_off = ["2026-12-01"]\n', "tenants/x.toml", rules=RULES
    )
    assert {r.key: r.value for r in parsed.rules}["days_off"] == ["2026-12-01"]
