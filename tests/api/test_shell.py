"""The API shell: OpenAPI text, self-hosted docs, one JSON error shape, auth, tenants, paging."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from flask import Flask, abort
from sqlalchemy import select

from giamsat.api.setup import create_api
from giamsat.tenancy.models import Tenant, TenantStatus
from tests.plugins.api import field_errors, ids, pagination

#: Every GET resource of a tenant, with the ids of the world filled in later.
GET_PATHS = (
    "units",
    "units/{commune_x}",
    "units/{commune_x}/subtree",
    "units/{commune_x}/children",
    "residential-areas",
    "residential-areas/{area_x}",
    "organizations",
    "levels",
    "me",
    "me/tokens",
)
LIST_PATHS = (
    "units",
    "units/{commune_x}/subtree",
    "units/{commune_x}/children",
    "residential-areas",
    "organizations",
    "levels",
    "me/tokens",
)


def _fill(path: str, tw) -> str:
    return path.format(commune_x=tw.commune_x, area_x=tw.area_x)


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status
    assert response.is_json, response.data[:200]
    body = response.get_json()
    assert body["code"] == status
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    return body


# --- OpenAPI and docs -------------------------------------------------------------------------


def test_openapi_json_documents_resources_auth_etags_and_paging(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    prefix = "/api/v1/t/{tenant}"
    for path in (
        "/units",
        "/units/{unit_id}",
        "/units/{unit_id}/subtree",
        "/units/{unit_id}/children",
        "/residential-areas",
        "/residential-areas/{area_id}",
        "/residential-areas/{area_id}/retire",
        "/organizations",
        "/levels",
        "/me",
        "/me/tokens",
        "/me/tokens/{token_id}",
    ):
        assert prefix + path in spec["paths"], path
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert spec["security"] == [{"bearer": []}]

    patch = spec["paths"][prefix + "/residential-areas/{area_id}"]["patch"]
    assert {"412", "428"} <= set(patch["responses"])
    assert patch["summary"]  # the view docstring is the documentation

    listing = spec["paths"][prefix + "/units"]["get"]
    page_size = next(p for p in listing["parameters"] if p["name"] == "page_size")
    assert page_size["schema"]["maximum"] == 100
    assert "X-Pagination" in listing["responses"]["200"]["headers"]
    # The capped total is documented with the cap the lists use (a lower bound, not a guess).
    assert "Tổng chỉ đếm tới 1.000 mục" in json.dumps(spec, ensure_ascii=False)


def test_openapi_json_is_a_valid_openapi_document(client):
    import openapi_spec_validator as validator

    validator.validate(client.get("/api/v1/openapi.json").get_json())


def test_docs_page_is_self_hosted(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "swagger-ui" in html
    assert not re.search(r"https?://|//[a-z0-9]", html, re.IGNORECASE), "external URL in docs"
    assert '"validatorUrl": null' in html
    # Every script is a file (the CSP forbids inline ones): the config is inert JSON data.
    assert re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html) == [
        ' type="application/json" id="swagger-config"'
    ]
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) >= 3
    for asset in assets:
        assert asset.startswith(("/api/v1/docs/static/", "/static/"))
        with client.get(asset) as served:  # a streamed file: close it
            assert served.status_code == 200, asset


# --- authentication and tenants ---------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization", [None, "Bearer ", "Bearer gs_not-a-real-token", "Basic YWxwaGE6eA=="]
)
def test_missing_or_wrong_token_is_401(client, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/api/v1/t/alpha/units", headers=headers)
    assert_error_shape(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", GET_PATHS)
def test_token_of_tenant_a_is_unknown_in_tenant_b(world, client, api_token, path):
    token = api_token("alpha", "admin")
    headers = {"Authorization": f"Bearer {token}"}
    # The same path works in alpha…
    assert (
        client.get(f"/api/v1/t/alpha/{_fill(path, world.alpha)}", headers=headers).status_code
        == 200
    )
    # …and beta has never heard of the token, whatever the path.
    response = client.get(f"/api/v1/t/beta/{_fill(path, world.beta)}", headers=headers)
    assert_error_shape(response, 401)


def test_token_of_tenant_a_cannot_write_in_tenant_b(world, client, api_token, unit_count):
    token = api_token("alpha", "admin")
    response = client.post(
        "/api/v1/t/beta/residential-areas",
        headers={"Authorization": f"Bearer {token}"},
        json={"commune_id": world.beta.commune_x, "name": "Thôn Lạ", "kind": "thôn"},
    )
    assert_error_shape(response, 401)
    assert unit_count("beta", name="Thôn Lạ") == 0


@pytest.mark.parametrize("slug", ["nowhere", "NOT_A_SLUG!", "t_alpha"])
def test_unknown_tenant_is_404_json(client, api_token, slug):
    token = api_token("alpha", "admin")
    response = client.get(f"/api/v1/t/{slug}/units", headers={"Authorization": f"Bearer {token}"})
    assert_error_shape(response, 404)


def test_suspended_tenant_is_503_json(db, client, api_token):
    token = api_token("beta", "admin")
    url, headers = "/api/v1/t/beta/units", {"Authorization": f"Bearer {token}"}
    assert client.get(url, headers=headers).status_code == 200

    shared = db.session()  # no schema: the shared registry
    shared.scalar(select(Tenant).where(Tenant.slug == "beta")).status = TenantStatus.suspended
    shared.commit()

    for response in (
        client.get(url, headers=headers),
        client.post("/api/v1/t/beta/me/tokens", headers=headers, json={"name": "x"}),
    ):
        body = assert_error_shape(response, 503)
        assert "errors" not in body and "tạm ngừng" in body["message"]


# --- error shape of routing and HTTP errors ---------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/v1/nothing-here", "/api/v1/t/alpha/nothing-here", "/api/v1/t/alpha/units/not-a-number"],
)
def test_unknown_api_path_is_404_json(client, url):
    assert_error_shape(client.get(url), 404)


def test_wrong_method_is_405_json_with_allow(as_user):
    response = as_user("alpha", "admin").put("units", json={})
    assert_error_shape(response, 405)
    assert "GET" in response.headers["Allow"]


def test_api_errors_stay_json_when_pages_have_their_own_error_pages():
    # The web shell registers a 404 page before the API is built; API paths must keep JSON.
    app = Flask(__name__)
    app.register_error_handler(404, lambda error: ("trang 404", 404))
    create_api(app)

    @app.route("/api/v1/boom")
    def boom():
        abort(404)

    with app.test_client() as client:
        assert client.get("/pages/missing").get_data(as_text=True) == "trang 404"
        for url in ("/api/v1/missing", "/api/v1/boom"):
            assert_error_shape(client.get(url), 404)


def test_malformed_json_body_is_an_error_in_the_same_shape(world, as_user):
    response = as_user("alpha", "admin").post(
        "residential-areas", data="{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert_error_shape(response, response.status_code)


# --- pagination -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", LIST_PATHS)
def test_every_list_is_paginated_with_a_maximum(world, as_user, path):
    caller = as_user("alpha", "admin")
    path = _fill(path, world.alpha)
    ok = caller.get(path, query_string={"page_size": 100})
    assert ok.status_code == 200
    assert pagination(ok)["page"] == 1

    too_big = caller.get(path, query_string={"page_size": 101})
    assert_error_shape(too_big, 422)
    assert "page_size" in field_errors(too_big, "query")
    assert_error_shape(caller.get(path, query_string={"page": 0}), 422)


def test_pages_split_the_list(world, as_user):
    caller = as_user("alpha", "admin")
    everything = ids(caller.get("units", query_string={"page_size": 100}))
    assert len(everything) == 5  # province, two communes, two areas
    first = caller.get("units", query_string={"page_size": 2})
    third = caller.get("units", query_string={"page_size": 2, "page": 3})
    assert ids(first) == everything[:2] and ids(third) == everything[4:]
    assert pagination(first) == {
        "total": 5,
        "total_pages": 3,
        "first_page": 1,
        "last_page": 3,
        "page": 1,
        "next_page": 2,
        "total_is_exact": True,
    }


@pytest.mark.usefixtures("keep_job_runtime")
def test_configured_maximum_page_size_is_enforced(settings, db, api_token):
    from giamsat.app import create_app

    app = create_app(settings=replace(settings, api_max_page_size=3), database=db)
    app.config.update(TESTING=True)
    headers = {"Authorization": f"Bearer {api_token('alpha', 'admin')}"}
    with app.test_client() as client:
        assert client.get("/api/v1/t/alpha/units?page_size=3", headers=headers).status_code == 200
        response = client.get("/api/v1/t/alpha/units?page_size=4", headers=headers)
        assert_error_shape(response, 422)
        assert field_errors(response, "query")["page_size"] == ["Tối đa 3 mục mỗi trang."]
