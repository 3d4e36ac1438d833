"""Hostile files through every list-import endpoint (API preview, API import, the import page):
an .xlsx that inflates to ~400 MB is refused before any parsing, as are the hostile documents
and a photo; no person, no object is stored."""

from __future__ import annotations

import io
import time

import pytest

from giamsat.supervision.models import SupervisedPerson
from tests.plugins import hostile
from tests.plugins.letters import close_body
from tests.plugins.pages import text_of

ENDPOINTS = ("api preview", "api import", "page")
#: A list is an .xlsx: anything else is "not a spreadsheet" before its own checks run.
HOSTILE = [
    ("danh-sach.xlsx", hostile.xlsx_bomb, "giải nén lớn hơn 40 MB"),
    *[
        (name, make, "tệp nén" if make is hostile.zip_named_pdf else "không phải bảng tính")
        for name, make, _words in hostile.HOSTILE_DOCUMENTS
    ],
    ("anh.jpg", hostile.gps_photo, "không phải bảng tính"),
]


@pytest.fixture()
def post(as_user, pages, world):
    api = as_user("alpha", "x-staff")
    pages.login("alpha", "x-staff")

    def send(endpoint: str, data: bytes, name: str):
        upload = (io.BytesIO(data), name)
        if endpoint == "page":
            response = pages.post(
                "/t/alpha/supervision/people/import",
                {"unit_id": world.alpha.commune_x, "file": upload},
                content_type="multipart/form-data",
            )
        else:
            path = "import/preview" if endpoint == "api preview" else "import"
            response = api.post(
                f"supervision/people/{path}",
                query_string={"unit_id": world.alpha.commune_x},
                data={"file": upload},
                content_type="multipart/form-data",
            )
        close_body(response)
        return response

    return send


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("name", "make", "words"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_lists_are_refused_and_nothing_is_stored(
    post, endpoint, name, make, words, tenant_session, settings
):
    def state():
        rows = hostile.row_counts(tenant_session("alpha"), SupervisedPerson)
        return rows, hostile.bucket_objects(settings, "alpha")

    data = make()
    before = state()
    started = time.monotonic()
    response = post(endpoint, data, name)
    elapsed = time.monotonic() - started
    assert response.status_code == 422, (endpoint, response.status_code)
    message = response.get_json()["message"] if endpoint != "page" else text_of(response)
    assert words in message and f"“{name}”" in message, message
    assert state() == before
    # Refused from the archive's directory, not after inflating 400 MB (minutes, in the issue).
    assert elapsed < 10, elapsed
