"""Hostile files through every letters endpoint (batch upload and rescan, API and pages):
each is refused with a sentence naming the file and nothing is stored; a phone photo with GPS
EXIF is stored without any metadata, upright, with no invented dpi."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from giamsat.cases.models import Case
from giamsat.letters.models import Letter, LetterFile, LetterPage, PendingUpload
from tests.plugins import hostile
from tests.plugins.api import ApiCaller
from tests.plugins.letters import close_body, upload_batch
from tests.plugins.pages import text_of

MODELS = (Case, Letter, LetterFile, LetterPage, PendingUpload)
ENDPOINTS = ("api upload", "api rescan", "page upload", "page rescan")


@pytest.fixture()
def post(client, api_token, pages, make_opening, in_tenant, principal_of, storage_of, journal_of):
    """`post(endpoint, data, name)` → response; one opening and one letter to rescan exist."""
    from giamsat.letters import operations
    from tests.plugins.letters import incoming

    opening = make_opening()
    with in_tenant("alpha") as scope:
        [letter] = operations.upload_letters(
            scope.session,
            principal_of("alpha", "x-staff"),
            opening.id,
            [[incoming(hostile.gps_photo(), "truoc.jpg")]],
            storage=storage_of("alpha"),
            journal=journal_of("alpha"),
        )
        scope.session.commit()
        letter_id = letter.id
    api = ApiCaller(client, "alpha", api_token("alpha", "x-staff"))
    pages.login("alpha", "x-staff")

    def send(endpoint: str, data: bytes, name: str):
        response = _send(endpoint, data, name)
        close_body(response)
        return response

    def _send(endpoint: str, data: bytes, name: str):
        files = {"files": [(io.BytesIO(data), name)]}
        if endpoint == "api upload":
            return api.post(
                f"suggestion-boxes/openings/{opening.id}/letters",
                data=files,
                content_type="multipart/form-data",
            )
        if endpoint == "api rescan":
            return api.post(
                f"letters/{letter_id}/rescan", data=files, content_type="multipart/form-data"
            )
        if endpoint == "page upload":
            return upload_batch(pages, opening.id, [[(data, name)]])
        return pages.post(
            f"/t/alpha/letters/{letter_id}/rescan", files, content_type="multipart/form-data"
        )

    return send


def _refusal(endpoint: str, response) -> str:
    assert response.status_code == 422, (endpoint, response.status_code)
    if endpoint.startswith("api"):
        body = response.get_json()
        assert list(body["errors"]["json"]) == ["files"]
        return body["message"]
    return text_of(response)


HOSTILE = [
    *hostile.HOSTILE_DOCUMENTS,
    ("danh-sach.xlsx", hostile.xlsx_bomb, "loại tệp này không được nhận"),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("name", "make", "words"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_and_nothing_is_stored(
    post, endpoint, name, make, words, tenant_session, settings
):
    def state():
        rows = hostile.row_counts(tenant_session("alpha"), *MODELS)
        return rows, hostile.bucket_objects(settings, "alpha")

    before = state()
    message = _refusal(endpoint, post(endpoint, make(), name))
    assert words in message and f"“{name}”" in message, message
    assert state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_gps_photo_is_stored_without_metadata_through_every_endpoint(
    post, endpoint, tenant_session, settings
):
    session = tenant_session("alpha")
    known = set(session.scalars(select(LetterFile.id)))
    response = post(endpoint, hostile.gps_photo(), "anh-dien-thoai.jpg")
    assert response.status_code in (201, 204, 302), response.status_code
    session.expire_all()
    [stored] = [f for f in session.scalars(select(LetterFile)) if f.id not in known]
    body = hostile.read_object(settings, "alpha", stored.object_key)
    assert stored.content_type == "image/jpeg" and stored.size == len(body)
    hostile.assert_no_metadata(body, upright_size=(480, 640))


def test_a_pdf_with_metadata_and_an_attached_file_is_stored_clean(post, tenant_session, settings):
    session = tenant_session("alpha")
    known = set(session.scalars(select(LetterFile.id)))
    assert post("api upload", hostile.pdf_with_metadata(), "thu.pdf").status_code == 201
    session.expire_all()
    [stored] = [f for f in session.scalars(select(LetterFile)) if f.id not in known]
    body = hostile.read_object(settings, "alpha", stored.object_key)
    for secret in hostile.PDF_SECRETS:
        assert secret not in body, secret
    assert stored.page_count == 1 and body.startswith(b"%PDF-")


def test_a_clean_pdf_is_stored_byte_for_byte(post, tenant_session, settings):
    session = tenant_session("alpha")
    known = set(session.scalars(select(LetterFile.id)))
    original = hostile.clean_pdf(2)
    assert post("api upload", original, "sach.pdf").status_code == 201
    session.expire_all()
    [stored] = [f for f in session.scalars(select(LetterFile)) if f.id not in known]
    assert hostile.read_object(settings, "alpha", stored.object_key) == original
