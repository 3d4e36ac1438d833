"""QR labels for suggestion boxes, and receipt codes themselves."""

from __future__ import annotations

import re

from giamsat.cases.public import receipts
from giamsat.cases.public.qr import qr_svg
from giamsat.units.models import Unit
from tests.plugins.pages import Pages, text_of
from tests.plugins.qr import decode_label_qr


def test_qr_label_of_a_residential_area(client, app, world, public_address):
    public_address("https://giamsat.ninhbinh.example.vn/")
    pages = Pages(client, world)
    pages.login("alpha", "x-admin")
    response = pages.get(f"/t/alpha/units/{world.alpha.area_x}/qr")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # The configured public address, never the one the page was asked on (localhost here).
    url = f"https://giamsat.ninhbinh.example.vn/t/alpha/gop-y/{world.alpha.area_x}"
    assert url in html and "http://localhost" not in html
    assert str(qr_svg(url)) in html  # the drawn code encodes exactly that address
    assert decode_label_qr(html) == url  # and a phone reading the printed label gets it
    assert "<svg" in html and "<script" not in html.split("<main")[1]
    page = text_of(response)
    assert "Hòm thư góp ý" in page and "Thôn Một · Xã Đông Alpha" in page
    assert not re.search(r'(src|href|action)="(https?:)?//', html)


def test_qr_label_only_for_users_who_see_the_area(
    client, app, world, tenant_session, public_address
):
    public_address("https://giamsat.example.vn")
    assert client.get(f"/t/alpha/units/{world.alpha.area_x}/qr").status_code == 302  # login
    pages = Pages(client, world)
    pages.login("alpha", "y-admin")
    assert pages.get(f"/t/alpha/units/{world.alpha.area_x}/qr").status_code == 404
    assert pages.get(f"/t/alpha/units/{world.alpha.area_y}/qr").status_code == 200
    # Not a residential area, or a retired one: nothing to label.
    assert pages.get(f"/t/alpha/units/{world.alpha.commune_y}/qr").status_code == 404
    session = tenant_session("alpha")
    area = session.get(Unit, world.alpha.area_y)
    area.valid_to = area.valid_from.replace(month=9)
    session.commit()
    assert pages.get(f"/t/alpha/units/{world.alpha.area_y}/qr").status_code == 404


def test_codes_are_20_random_digits_read_in_groups():
    codes = {receipts.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 20 and c.isdigit() for c in codes)
    assert {c[0] for c in codes} > {"0", "1"}  # leading digits vary, zeros kept
    code = "01234567890123456789"
    assert receipts.format_code(code) == "0123 4567 8901 2345 6789"
    for typed in (
        "0123 4567 8901 2345 6789",
        " 0123-4567-8901-2345-6789 ",
        "0123.4567.8901.2345.6789",
    ):
        assert receipts.normalize_code(typed) == code
    for bad in ("", None, "0123", code + "0", "٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩", "a" * 20):
        assert receipts.normalize_code(bad) is None
    assert receipts.hash_code(code) != receipts.hash_code("1" + code[1:])
    assert len(receipts.hash_code(code)) == 64
