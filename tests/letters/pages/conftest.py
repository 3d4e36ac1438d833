"""Fixtures of the letters pages: CSRF on, the tenants' buckets, a logged-in browser-like client,
and helpers that post batches of scans like a person with a browser."""
from __future__ import annotations

import io
import re

import pytest

from tests.web.conftest import Pages, text_of  # noqa: F401 — text_of is used by the tests


@pytest.fixture()
def app(app, letter_buckets):
    # Page tests run with CSRF protection exactly as in production.
    app.config.update(WTF_CSRF_ENABLED=True)
    return app


def upload_batch(pages: Pages, opening_id: int, letters: list[list[tuple[bytes, str]]],
                 slug: str = "alpha"):
    """Post the batch upload form: letter n's files go in the slot `letter_n`."""
    data = {"slots": str(len(letters))}
    for number, files in enumerate(letters, start=1):
        data[f"letter_{number}"] = [(io.BytesIO(body), name) for body, name in files]
    response = pages.post(f"/t/{slug}/letters/openings/{opening_id}/upload", data,
                          content_type="multipart/form-data")
    close_body(response)
    return response


def close_body(response) -> None:
    """The test client encodes a big multipart body into a temporary file it never closes."""
    body = response.request.environ.get("wsgi.input")
    if body is not None and not body.closed:
        body.close()


def field_error(response, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>',
                      response.get_data(as_text=True), re.DOTALL)
    return " ".join(match.group(1).split()) if match else ""



@pytest.fixture()
def make_letters(in_tenant, principal_of, storage_of, journal_of):
    """`make_letters(opening, [[(bytes, name), …], …])` — letter ids, uploaded through the
    operation (committed in the test transaction)."""
    from giamsat.letters import operations
    from giamsat.letters.scans import IncomingFile

    def make(opening, letters, slug="alpha", who="x-staff") -> list[int]:
        with in_tenant(slug) as scope:
            created = operations.upload_letters(
                scope.session, principal_of(slug, who), opening.id,
                [[IncomingFile(io.BytesIO(body), name) for body, name in files]
                 for files in letters],
                storage=storage_of(slug), journal=journal_of(slug))
            scope.session.commit()
            return [letter.id for letter in created]

    return make
