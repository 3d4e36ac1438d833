"""Hostile files through every case-attachment endpoint (the API, the intake page, the answer
form of the case page): refused by name, no object and no row stored (not even the case the
intake would have created); a phone photo with GPS EXIF is stored without any metadata."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from giamsat.cases.models import Case, CaseAttachment, CaseEvent
from tests.plugins import hostile
from tests.plugins.api import ApiCaller
from tests.plugins.letters import close_body
from tests.plugins.pages import text_of

MODELS = (Case, CaseAttachment, CaseEvent)
ENDPOINTS = ("api", "intake page", "answer page")
INTAKE = {
    "received_on": "2026-03-02",
    "channel": "suggestion_box",
    "kind": "petition",
    "title": "Trưởng thôn thu tiền sai quy định",
    "content": "Thu 200.000 đồng mỗi hộ.",
    "reporter_mode": "anonymous",
}


@pytest.fixture()
def post(client, api_token, pages, make_case, world, tenant_session):
    case = make_case(received_on=dt.date(2026, 2, 2))
    api = ApiCaller(client, "alpha", api_token("alpha", "x-staff"))
    pages.login("alpha", "x-staff")
    # Forwarded, so that an answer (with its documents) can be recorded.
    assert pages.post(f"/t/alpha/cases/{case.id}/verify", {"verify-note": ""}).status_code == 302
    forwarded = pages.post(
        f"/t/alpha/cases/{case.id}/forward",
        {
            "forward-recipient_kind": "party_committee",
            "forward-recipient_name": "Đảng ủy xã Đông Alpha",
            "forward-forwarded_on": "2026-02-10",
            "forward-checked": "y",
        },
    )
    assert forwarded.status_code == 302, text_of(forwarded)

    def send(endpoint: str, data: bytes, name: str):
        response = _send(endpoint, data, name)
        close_body(response)
        return response

    def _send(endpoint: str, data: bytes, name: str):
        upload = (io.BytesIO(data), name)
        if endpoint == "api":
            return api.post(
                f"cases/{case.id}/attachments",
                data={"file": upload, "purpose": "evidence"},
                content_type="multipart/form-data",
            )
        if endpoint == "intake page":
            return pages.post(
                f"/t/alpha/cases/new?unit={world.alpha.commune_x}",
                dict(INTAKE, attachments=upload),
                content_type="multipart/form-data",
            )
        return pages.post(
            f"/t/alpha/cases/{case.id}/respond",
            {
                "respond-outcome": "explained",
                "respond-text": "Cấp ủy đã giải trình bằng văn bản số 12.",
                "respond-responded_on": "2026-03-20",
                "respond-documents": upload,
            },
            content_type="multipart/form-data",
        )

    return send


def _refusal(endpoint: str, response) -> str:
    assert response.status_code == 422, (endpoint, response.status_code)
    if endpoint == "api":
        body = response.get_json()
        assert list(body["errors"]["json"]) == ["file"]
        return body["message"]
    return text_of(response)


HOSTILE = [*hostile.HOSTILE_DOCUMENTS, ("danh-sach.xlsx", hostile.xlsx_bomb, "giải nén")]


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
    known = set(session.scalars(select(CaseAttachment.id)))
    response = post(endpoint, hostile.gps_photo(), "anh-dien-thoai.jpg")
    assert response.status_code in (201, 302), (response.status_code, text_of(response))
    session.expire_all()
    [stored] = [a for a in session.scalars(select(CaseAttachment)) if a.id not in known]
    body = hostile.read_object(settings, "alpha", stored.object_key)
    assert stored.content_type == "image/jpeg" and stored.size == len(body)
    hostile.assert_no_metadata(body, upright_size=(480, 640))
