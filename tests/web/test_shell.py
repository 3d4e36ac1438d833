"""The page shell: province list, error pages, headers, and no external resources anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import update

from giamsat.tenancy.models import Tenant, TenantStatus
from tests.plugins.pages import text_of

STATIC = Path(__file__).resolve().parents[2] / "services" / "giamsat" / "web" / "static"


def test_root_lists_active_provinces_only(pages, db):
    html = pages.get("/").get_data(as_text=True)
    assert 'href="/t/alpha/"' in html and 'href="/t/beta/"' in html
    with db.session() as shared:
        shared.execute(
            update(Tenant).where(Tenant.slug == "beta").values(status=TenantStatus.suspended)
        )
        shared.commit()
    html = pages.get("/").get_data(as_text=True)
    assert 'href="/t/alpha/"' in html and "/t/beta/" not in html
    suspended = pages.get("/t/beta/login")
    assert suspended.status_code == 503 and "tạm ngừng" in suspended.get_data(as_text=True)


def test_layout_works_on_phones_and_prints(pages):
    html = pages.get("/t/alpha/login").get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'href="/static/css/print.css" media="print"' in html
    assert '<html lang="vi">' in html
    for name in ("css/site.css", "css/print.css", "favicon.svg"):
        response = pages.get(f"/static/{name}")
        response.close()  # static files are streamed from an open file
        assert response.status_code == 200
    assert "display: none" in (STATIC / "css/print.css").read_text()
    assert "@media (max-width" in (STATIC / "css/site.css").read_text()


@pytest.mark.parametrize(
    "url, status, title",
    [
        ("/no-such-page", 404, "Không tìm thấy trang"),
        ("/t/no-such-province/login", 404, "Không tìm thấy trang"),
        ("/t/alpha/logout", 405, "Không thực hiện được"),
    ],
)
def test_error_pages_are_plain_vietnamese(pages, url, status, title):
    response = pages.get(url)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    text = text_of(response)
    assert title in text and f"Mã lỗi: {status}" in text and "Về trang chủ" in text


def test_domain_errors_render_as_pages(pages, world):
    pages.login("alpha", "x-staff")
    forbidden = pages.get(f"/t/alpha/units/{world.alpha.commune_x}/areas/new")
    assert forbidden.status_code == 403
    assert "Người được thêm, đổi tên và cho ngừng khu dân cư: quản trị tỉnh" in text_of(forbidden)
    missing = pages.get(f"/t/alpha/units/{world.alpha.commune_y}")
    assert missing.status_code == 404 and "Không tìm thấy đơn vị." in text_of(missing)


def test_unexpected_error_gives_the_500_page(app, pages):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/t/<tenant>/boom")
    def boom():
        raise RuntimeError("boom")

    response = pages.get("/t/alpha/boom")
    assert response.status_code == 500
    assert "Hệ thống gặp lỗi, việc vừa làm chưa được lưu." in text_of(response)
    assert "RuntimeError" not in response.get_data(as_text=True)


def test_pages_send_protective_headers(pages):
    response = pages.get("/t/alpha/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


EXTERNAL = re.compile(r"""(?:https?:|ftp:)|(?:src|href|action|srcset)\s*=\s*["']?\s*//""", re.I)


def _every_page(pages, world):
    a = world.alpha
    urls = ["/", "/t/alpha/login", "/no-such-page"]
    yield from ((u, pages.get(u)) for u in urls)
    pages.login("alpha", "x-admin")
    pages.post("/t/alpha/account/tokens", {"name": "Thử"})
    urls = [
        "/t/alpha/",
        f"/t/alpha/units/{a.commune_x}",
        f"/t/alpha/units/{a.area_x}",
        f"/t/alpha/units/{a.commune_x}/areas/new",
        f"/t/alpha/units/{a.area_x}/edit",
        f"/t/alpha/units/{a.area_x}/retire",
        "/t/alpha/account/tokens",
        f"/t/alpha/units/{a.commune_y}",
    ]
    yield from ((u, pages.get(u)) for u in urls)
    yield "bad form", pages.post(f"/t/alpha/units/{a.commune_x}/areas/new", {"name": ""})
    yield "csrf refusal", pages.post("/t/alpha/logout", csrf=False)


def test_no_page_loads_or_links_anything_external(pages, world):
    seen = 0
    for url, response in _every_page(pages, world):
        assert response.mimetype == "text/html", url
        html = response.get_data(as_text=True)
        assert not EXTERNAL.search(html), (url, EXTERNAL.search(html))
        for ref in re.findall(r"""(?:src|href)="([^"]+)\"""", html):
            assert ref.startswith(("/", "#")), (url, ref)
        seen += 1
    assert seen == 13


def test_stylesheets_load_nothing_external():
    for css in STATIC.rglob("*.css"):
        text = css.read_text()
        assert "@import" not in text, css
        for ref in re.findall(r"url\(([^)]*)\)", text):
            assert not re.match(r"""\s*["']?\s*(?:[a-z]+:|//)""", ref), (css, ref)
