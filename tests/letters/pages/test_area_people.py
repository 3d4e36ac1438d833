"""A box's key keeper and an opening's witnesses can be picked from the area's respected
people and core members (kept by supervision, offered through units.AREA_PEOPLE)."""

from __future__ import annotations

import re

import pytest

from giamsat.supervision.channels import registers


@pytest.fixture()
def respected(tenant_session, principal_of, world):
    with tenant_session("alpha") as session:
        principal = principal_of("alpha", "admin")
        for name, roles, area in (
            ("Hà Văn Sơn", ["key_keeper"], world.alpha.area_x),
            ("Lò Thị Én", ["box_witness", "source"], world.alpha.area_x),
            ("Vi Văn Tâm", ["box_witness"], world.alpha.area_y),  # another commune's area
        ):
            registers.add_respected(
                session,
                principal,
                unit_id=world.alpha.commune_x
                if area == world.alpha.area_x
                else world.alpha.commune_y,
                area_id=area,
                full_name=name,
                kind="respected",
                roles=roles,
                contact="0912 345 678",
            )
        session.commit()


def _options(html: str, datalist: str) -> list[str]:
    match = re.search(rf'<datalist id="{datalist}">(.*?)</datalist>', html, re.S)
    return re.findall(r'<option value="([^"]*)">', match.group(1)) if match else []


def test_keeper_and_witnesses_are_offered_from_the_area_register(pages, world, make_box, respected):
    pages.login("alpha", "x-staff")
    form = pages.get(f"/t/alpha/letters/areas/{world.alpha.area_x}/boxes/new")
    html = form.get_data(as_text=True)
    assert _options(html, "keeper-names") == ["Hà Văn Sơn"]
    assert 'list="keeper-names"' in html and "0912" not in html
    box = make_box()
    html = pages.get(f"/t/alpha/letters/boxes/{box.id}/openings/new").get_data(as_text=True)
    assert _options(html, "witness-names") == ["Lò Thị Én"]  # not the other commune's
    assert html.count('list="witness-names"') >= 3 and "0912" not in html


def test_without_a_register_the_fields_stay_free_text(pages, world, make_box):
    pages.login("alpha", "x-staff")
    html = pages.get(f"/t/alpha/letters/areas/{world.alpha.area_x}/boxes/new").get_data(
        as_text=True
    )
    assert "datalist" not in html
    box = make_box()
    html = pages.get(f"/t/alpha/letters/boxes/{box.id}/openings/new").get_data(as_text=True)
    assert "datalist" not in html
