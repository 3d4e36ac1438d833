"""API test helpers: reading responses, and callers acting as a fixture user with a token."""

from __future__ import annotations

import json

import pytest


def ids(response) -> list[int]:
    return [item["id"] for item in response.get_json()]


def pagination(response) -> dict:
    return json.loads(response.headers["X-Pagination"])


def field_errors(response, location: str = "json") -> dict:
    body = response.get_json()
    return body.get("errors", {}).get(location, {})


class ApiCaller:
    """Calls `/api/v1/t/<slug>/<path>` with a Bearer token (None: no Authorization header)."""

    def __init__(self, client, slug: str, token: str | None):
        self.client, self.slug, self.token = client, slug, token

    def url(self, path: str) -> str:
        return f"/api/v1/t/{self.slug}/{path.lstrip('/')}"

    def _call(self, method: str, path: str, headers: dict | None = None, **kwargs):
        headers = dict(headers or {})
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return self.client.open(self.url(path), method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self._call("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self._call("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self._call("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self._call("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self._call("DELETE", path, **kwargs)


@pytest.fixture()
def as_user(client, api_token):
    """`as_user("alpha", "x-admin")` — an ApiCaller for that fixture user."""

    def make(slug: str, who: str) -> ApiCaller:
        return ApiCaller(client, slug, api_token(slug, who))

    return make
