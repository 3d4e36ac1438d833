"""Page tests' browser-like client: logs in, posts forms with the CSRF token a page handed
out, and reads pages as text and field errors. The `pages` fixture serves every domain's page
tests."""

from __future__ import annotations

import re

import pytest

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


class Pages:
    """A test client that behaves like a person with a browser."""

    def __init__(self, client, world):
        self.client = client
        self.world = world

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def csrf_token(self) -> str:
        # Every page carries the language form, hence a token bound to this browser's session.
        match = CSRF_INPUT.search(self.client.get("/").get_data(as_text=True))
        assert match, "the page shell hands out no CSRF token"
        return match.group(1)

    def post(self, url, data=None, *, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf_token())
        return self.client.post(url, data=data, **kwargs)

    def login(self, slug: str, who: str, password: str | None = None):
        response = self.post(
            f"/t/{slug}/login",
            {"username": f"{slug}-{who}", "password": password or self.world.password},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return response


def text_of(response) -> str:
    """The page text without tags, whitespace collapsed: what a reader sees."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return (
        " ".join(re.sub(r"<[^>]+>", " ", html).split())
        .replace("&#34;", '"')
        .replace("&#39;", "'")
        .replace("&amp;", "&")
    )


def field_error(response, field: str) -> str:
    """The error message shown under a form field (`<p class="error" id="FIELD-error">`)."""
    match = re.search(
        rf'<p class="error" id="{re.escape(field)}-error">(.*?)</p>',
        response.get_data(as_text=True),
        re.S,
    )
    return " ".join(match.group(1).split()) if match else ""


@pytest.fixture()
def pages(client, world):
    return Pages(client, world)
