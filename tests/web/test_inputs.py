"""Central input checks on the pages: a bad address is a plain sentence, a form keeps what was
typed (invisible control characters dropped), ids beyond the columns are 404, never 500."""

from __future__ import annotations

from sqlalchemy import select, text

from giamsat.units.models import Unit
from tests.plugins.pages import field_error, text_of


def test_control_characters_in_the_address_are_a_plain_400(pages, world):
    pages.login("alpha", "x-admin")
    for url in ("/t/alpha/?unit=1%00", "/t/alpha/login?next=/t/alpha/%0d%0aSet-Cookie:x=1"):
        response = pages.get(url)
        assert response.status_code == 400, url
        assert "Hãy quay lại trang trước và thử lại." in text_of(response)
        assert "Set-Cookie" not in response.headers.get("Location", "")


def test_a_line_break_in_next_falls_back_to_the_home_page(pages, world):
    response = pages.post(
        "/t/alpha/login",
        {
            "username": "alpha-x-admin",
            "password": world.password,
            "next": "/t/alpha/\r\nSet-Cookie: x=1",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/t/alpha/"


def test_ids_beyond_the_id_columns_are_not_found(pages, world):
    pages.login("alpha", "x-admin")
    for url in ("/t/alpha/units/99999999999", "/t/alpha/units/2147483648/edit"):
        response = pages.get(url)
        assert response.status_code == 404, url
        assert "Không tìm thấy" in text_of(response)
    # A query number no id can be is treated like any non-number: the default.
    assert pages.get("/t/alpha/?unit=99999999999").status_code == 200


def test_control_characters_typed_into_a_form_are_dropped_not_fatal(pages, world, tenant_session):
    pages.login("alpha", "x-admin")
    response = pages.post(
        f"/t/alpha/units/{world.alpha.commune_x}/areas/new",
        {"name": "Thôn\x00 Bến\x1b Đò", "kind": "thôn", "valid_from": "2025-07-01"},
    )
    assert response.status_code == 302, text_of(response)
    names = tenant_session("alpha").scalars(select(Unit.name).where(Unit.name.like("Thôn%")))
    assert "Thôn Bến Đò" in list(names)


def test_an_over_long_value_keeps_the_form_with_a_message(pages, world):
    pages.login("alpha", "x-admin")
    response = pages.post(
        f"/t/alpha/units/{world.alpha.commune_x}/areas/new",
        {"name": "Thôn " + "Đ" * 400, "kind": "thôn", "valid_from": "2025-07-01"},
    )
    assert response.status_code == 422
    assert field_error(response, "name") or "ký tự" in text_of(response)
    assert "Đ" * 400 in response.get_data(as_text=True)  # what was typed is still there


def test_data_errors_from_the_database_are_a_plain_page(app, pages):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/t/<tenant>/overflow")
    def overflow():
        from flask import g

        g.tenant.session.execute(text("SELECT CAST(:v AS integer)"), {"v": "99999999999"})
        return "never"

    response = pages.get("/t/alpha/overflow")
    assert response.status_code == 422
    assert "Một số vượt quá giới hạn cho phép." in text_of(response)


def test_a_malformed_multipart_form_is_a_4xx_page(pages, world):
    pages.login("alpha", "x-admin")
    response = pages.client.post(
        f"/t/alpha/units/{world.alpha.commune_x}/areas/new",
        data=b'--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nabc',
        content_type="multipart/form-data; boundary=x",
    )
    assert 400 <= response.status_code < 500
    assert "<html" in response.get_data(as_text=True)
