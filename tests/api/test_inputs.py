"""Central input checks on the API: control characters, malformed JSON, ids beyond the id
columns and database refusals all answer 422 (or 404) with field errors, never 500."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.plugins.api import field_errors


def _area(world, **fields) -> dict:
    return {"commune_id": world.alpha.commune_x, "name": "Thôn Mới", "kind": "thôn"} | fields


@pytest.mark.parametrize("bad", ["Thôn\x00Mới", "Thôn\x1bMới", "Thôn\ud800"])
def test_control_characters_in_json_are_422_on_their_field(as_user, world, unit_count, bad):
    response = as_user("alpha", "x-admin").post("residential-areas", json=_area(world, name=bad))
    assert response.status_code == 422
    assert "ký tự điều khiển" in field_errors(response)["name"][0]
    assert unit_count(level_code="residential_area") == 2


def test_line_breaks_and_tabs_are_allowed_in_bodies(as_user, world):
    response = as_user("alpha", "x-admin").post(
        "residential-areas", json=_area(world, name="Thôn\tMới\r\n")
    )
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("body", [b'{"name": "Th', b"[1, 2", b'{"a": 1}}', b"\xff\xfe"])
def test_malformed_json_is_422(as_user, body):
    response = as_user("alpha", "x-admin").post(
        "residential-areas", data=body, content_type="application/json"
    )
    assert response.status_code == 422
    assert "JSON không đọc được" in field_errors(response)["_schema"][0]


def test_control_characters_in_query_and_headers_are_422(as_user):
    caller = as_user("alpha", "x-admin")
    response = caller.get("units", query_string={"q": "Đông\x00"})
    assert response.status_code == 422
    assert set(field_errors(response, "query")) == {"q"}
    response = caller.get("units", headers={"X-Note": "a\x00b"})
    assert response.status_code == 422
    assert set(field_errors(response, "headers")) == {"X-Note"}
    # Even before authentication: nothing reaches the token lookup.
    response = caller.client.get("/api/v1/t/alpha/me", headers={"Authorization": "Bearer \x00"})
    assert response.status_code == 422


@pytest.mark.parametrize("huge", [2**31, 99999999999, 10**30])
def test_ids_beyond_the_id_columns_are_404_in_paths(as_user, huge):
    caller = as_user("alpha", "x-admin")
    for path in (f"units/{huge}", f"residential-areas/{huge}", f"units/{huge}/children"):
        response = caller.get(path)
        assert response.status_code == 404, (path, response.get_data(as_text=True)[:200])
        assert response.is_json


@pytest.mark.parametrize("huge", [2**31, -(2**31) - 1, 99999999999])
def test_integer_fields_beyond_the_columns_are_422_on_their_field(as_user, world, unit_count, huge):
    caller = as_user("alpha", "x-admin")
    response = caller.post("residential-areas", json=_area(world, commune_id=huge))
    assert response.status_code == 422
    assert set(field_errors(response)) == {"commune_id"}
    response = caller.get("units", query_string={"parent_id": huge})
    assert response.status_code == 422
    assert set(field_errors(response, "query")) == {"parent_id"}
    assert unit_count(level_code="residential_area") == 2


def test_bounds_are_documented_in_the_openapi(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    unit = spec["paths"]["/api/v1/t/{tenant}/units/{unit_id}"]["parameters"]
    (unit_id,) = [p for p in unit if p["name"] == "unit_id"]
    assert unit_id["schema"]["maximum"] == 2**31 - 1
    create = spec["components"]["schemas"]["ResidentialAreaCreate"]["properties"]
    assert create["commune_id"]["maximum"] == 2**31 - 1


def test_data_errors_from_the_database_are_422_not_500(app, as_user):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/api/v1/t/<tenant>/overflow")
    def overflow():
        from flask import g

        g.tenant.session.execute(text("SELECT CAST(:v AS integer)"), {"v": "99999999999"})
        return {}

    response = as_user("alpha", "x-admin").get("overflow")
    assert response.status_code == 422
    assert response.get_json()["message"] == "Một số vượt quá giới hạn cho phép."


def test_a_date_pushed_past_the_calendar_is_422(app, as_user):
    @app.get("/api/v1/t/<tenant>/far-future")
    def far_future():
        import datetime as dt

        return {"day": str(dt.date.max + dt.timedelta(days=1))}

    response = as_user("alpha", "x-admin").get("far-future")
    assert response.status_code == 422
    assert "ngoài khoảng cho phép" in response.get_json()["message"]


def test_a_tab_in_a_header_is_allowed(as_user):
    response = as_user("alpha", "x-admin").get("me", headers={"User-Agent": "Trình\tduyệt"})
    assert response.status_code == 200


def test_request_ids_with_odd_characters_are_replaced(app, as_user):
    from flask import g

    seen = []

    @app.get("/api/v1/t/<tenant>/request-id")
    def request_id():
        seen.append(g.request_id)
        return {}

    caller = as_user("alpha", "x-admin")
    caller.get("request-id", headers={"X-Request-ID": "abc-123"})
    caller.get("request-id", headers={"X-Request-ID": "x" * 65})
    caller.get("request-id", headers={"X-Request-ID": "a b\u00e9"})
    assert seen[0] == "abc-123"
    assert all(len(s) == 32 and s.isalnum() for s in seen[1:])


def test_control_characters_in_multipart_fields_and_file_names_are_422(as_user, world):
    import io

    caller = as_user("alpha", "x-admin")
    response = caller.post(
        "suggestion-boxes/openings/1/letters",
        data={"kind": "peti\x00tion", "files": (io.BytesIO(b"%PDF-1.4"), "th\x01u.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert set(field_errors(response, "form")) == {"kind", "files"}


@pytest.mark.parametrize(
    "body",
    [b'--x\r\nContent-Disposition: form-data; name="files"\r\n\r\nabc', b"\x00\xff garbage"],
)
def test_malformed_multipart_is_a_4xx(as_user, body):
    response = as_user("alpha", "x-admin").post(
        "suggestion-boxes/openings/1/letters",
        data=body,
        content_type="multipart/form-data; boundary=x",
    )
    assert 400 <= response.status_code < 500
    assert response.is_json
