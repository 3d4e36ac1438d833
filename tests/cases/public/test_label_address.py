"""No label without a real public address: refused while GIAMSAT_PUBLIC_BASE_URL is unset or
points at the server itself, with the sentence that tells the admin what to set; admins see a
warning on every page meanwhile."""

from __future__ import annotations

import pytest

from tests.plugins.pages import text_of
from tests.plugins.qr import decode_label_qr


def test_unset_address_refuses_the_label_and_says_what_to_set(pages, world):
    pages.login("alpha", "x-admin")
    response = pages.get(f"/t/alpha/units/{world.alpha.area_x}/qr")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'class="segno"' not in html and "gop-y" not in html
    page = text_of(response)
    assert "Chưa in được tem mã QR" in page
    assert "Chưa đặt địa chỉ công khai của hệ thống" in page
    assert "GIAMSAT_PUBLIC_BASE_URL" in page


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:5000", "http://localhost:8000/", "http://[::1]/", "http://0.0.0.0:5000"],
)
def test_loopback_address_is_refused_outside_development(pages, world, public_address, url):
    public_address(url)
    pages.login("alpha", "x-admin")
    response = pages.get(f"/t/alpha/units/{world.alpha.area_x}/qr")
    assert response.status_code == 409
    assert "chỉ dùng được trên chính máy chủ" in text_of(response)


def test_a_malformed_address_is_refused(pages, world, public_address):
    public_address("giamsat.example.vn")
    pages.login("alpha", "x-admin")
    response = pages.get(f"/t/alpha/units/{world.alpha.area_x}/qr")
    assert response.status_code == 409 and "không hợp lệ" in text_of(response)


def test_development_may_print_its_own_loopback_address(pages, world, public_address):
    public_address("http://127.0.0.1:5123", dev=True)
    pages.login("alpha", "x-admin")
    response = pages.get(f"/t/alpha/units/{world.alpha.area_x}/qr")
    assert response.status_code == 200
    expected = f"http://127.0.0.1:5123/t/alpha/gop-y/{world.alpha.area_x}"
    assert decode_label_qr(response.get_data(as_text=True)) == expected


def test_admins_see_the_warning_on_every_page_until_it_is_set(pages, world, public_address):
    pages.login("alpha", "admin")
    for url in ("/t/alpha/", "/t/alpha/reports/"):
        html = pages.get(url).get_data(as_text=True)
        assert 'class="address-warning"' in html and "GIAMSAT_PUBLIC_BASE_URL" in html, url
    pages.post("/t/alpha/logout")
    pages.login("alpha", "x-staff")  # staff print nothing: no warning for them
    assert 'class="address-warning"' not in pages.get("/t/alpha/").get_data(as_text=True)
    pages.post("/t/alpha/logout")
    public_address("https://giamsat.example.vn")
    pages.login("alpha", "admin")
    assert 'class="address-warning"' not in pages.get("/t/alpha/").get_data(as_text=True)
