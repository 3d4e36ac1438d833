"""Every page form needs the CSRF token; the API (Bearer tokens, no cookies) does not."""

from __future__ import annotations

from tests.plugins.pages import text_of

REFUSED = "Biểu mẫu đã hết hạn"


def test_login_without_token_is_refused(pages, world):
    response = pages.post(
        "/t/alpha/login", {"username": "alpha-admin", "password": world.password}, csrf=False
    )
    assert response.status_code == 400
    assert REFUSED in text_of(response)
    assert pages.get("/t/alpha/").status_code == 302  # not logged in


def test_form_with_forged_token_is_refused_and_nothing_saved(pages, world, count_units):
    pages.login("alpha", "x-admin")
    before = count_units("alpha")
    url = f"/t/alpha/units/{world.alpha.commune_x}/areas/new"
    for token in (None, "forged"):
        data = {"name": "Thôn Giả", "kind": "thôn"}
        if token:
            data["csrf_token"] = token
        response = pages.post(url, data, csrf=False)
        assert response.status_code == 400
        assert REFUSED in text_of(response)
    assert count_units("alpha") == before


def test_logout_without_token_is_refused(pages):
    pages.login("alpha", "admin")
    assert pages.post("/t/alpha/logout", csrf=False).status_code == 400
    assert pages.get("/t/alpha/").status_code == 200


def test_api_is_exempt_and_keeps_json_errors(pages):
    response = pages.post("/api/v1/t/alpha/no-such-resource", csrf=False)
    assert response.status_code == 404
    assert response.is_json and response.get_json()["code"] == 404
