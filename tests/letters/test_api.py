"""The letters API: boxes, openings with minutes, batch upload, downloads by id only, isolation
between communes and between tenants."""

from __future__ import annotations

import hashlib
import io

import pytest
from docx import Document

from tests.plugins.api import ApiCaller


@pytest.fixture()
def as_user(client, api_token, letter_buckets):
    return lambda slug, who: ApiCaller(client, slug, api_token(slug, who))


def _opening(caller, world) -> tuple[int, int]:
    box = caller.post(
        "suggestion-boxes",
        json={
            "area_id": world.alpha.area_x,
            "location": "Nhà văn hóa thôn Đông",
            "installed_on": "2026-01-05",
            "keeper": "Ông Hà Văn Sơn",
        },
    )
    assert box.status_code == 201, box.get_json()
    opening = caller.post(
        f"suggestion-boxes/{box.get_json()['id']}/openings",
        json={
            "opened_at": "2026-02-10T08:30:00",
            "seal_condition": "intact",
            "letters_found": 2,
            "witnesses": [
                {"name": "Nguyễn Văn An", "role": "Trưởng thôn"},
                {"name": "Trần Thị Bình"},
            ],
        },
    )
    assert opening.status_code == 201, opening.get_json()
    assert opening.get_json()["has_minutes"] is True
    return box.get_json()["id"], opening.get_json()["id"]


def test_box_opening_upload_and_downloads(as_user, world, letter_jpeg, two_page_pdf):
    staff = as_user("alpha", "x-staff")
    box_id, opening_id = _opening(staff, world)
    minutes = staff.get(f"suggestion-boxes/openings/{opening_id}/minutes")
    assert minutes.status_code == 200 and minutes.headers["Cache-Control"] == "private, no-store"
    assert "Nguyễn Văn An" in "\n".join(
        c.text for t in Document(io.BytesIO(minutes.data)).tables for r in t.rows for c in r.cells
    )

    response = staff.post(
        f"suggestion-boxes/openings/{opening_id}/letters",
        data={
            "files": [(io.BytesIO(letter_jpeg), "thu-1.jpg")],
            "letter_1": [
                (io.BytesIO(two_page_pdf), "thu-2a.pdf"),
                (io.BytesIO(letter_jpeg), "thu-2b.jpg"),
            ],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    letters = response.get_json()
    assert [len(x["files"]) for x in letters] == [1, 2]
    assert all(x["ocr_status"] == "queued" and x["case_id"] for x in letters)
    pdf = letters[1]["files"][0]
    assert pdf["page_count"] == 2 and "object_key" not in pdf

    content = staff.get(f"letters/files/{pdf['id']}/content")
    assert content.status_code == 200 and content.mimetype == "application/pdf"
    # Stored as checked: the information dictionary Pillow wrote (dates) is gone.
    assert hashlib.sha256(content.data).hexdigest() == pdf["sha256"]
    assert b"/CreationDate" in two_page_pdf and b"/CreationDate" not in content.data
    assert "thu-2a.pdf" in content.headers["Content-Disposition"]
    listed = staff.get(f"suggestion-boxes/openings/{opening_id}/letters")
    assert [x["id"] for x in listed.get_json()] == [x["id"] for x in letters]

    # Another commune, and another tenant, get 404 for every id.
    for other in (as_user("alpha", "y-admin"), as_user("beta", "admin")):
        for path in (
            f"letters/{letters[0]['id']}",
            f"letters/files/{pdf['id']}/content",
            f"suggestion-boxes/{box_id}",
            f"suggestion-boxes/openings/{opening_id}",
            f"suggestion-boxes/openings/{opening_id}/minutes",
        ):
            assert other.get(path).status_code == 404, path
        assert other.get("letters").get_json() == []
    # The province sees it; a reader of the commune too, but may not upload.
    assert as_user("alpha", "admin").get(f"letters/{letters[0]['id']}").status_code == 200
    reader = as_user("alpha", "x-reader")
    assert reader.get(f"letters/files/{pdf['id']}/content").status_code == 200
    refused = reader.post(
        f"suggestion-boxes/openings/{opening_id}/letters",
        data={"files": [(io.BytesIO(letter_jpeg), "a.jpg")]},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 403


def test_no_route_takes_an_object_key(as_user, world, letter_jpeg):
    staff = as_user("alpha", "x-staff")
    _opening(staff, world)
    for path in (
        "letters/files/letters/2026/01/abc/content",
        "letters/objects/letters%2Fx",
        "letters/files/../content",
    ):
        assert staff.get(path).status_code == 404


def test_bad_upload_answers_422_with_the_field(as_user, world, tenant_session):
    staff = as_user("alpha", "x-staff")
    _, opening_id = _opening(staff, world)
    response = staff.post(
        f"suggestion-boxes/openings/{opening_id}/letters",
        data={"files": [(io.BytesIO(b"MZ\x90\x00rest"), "scan.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    body = response.get_json()
    assert "chương trình" in str(body)
    missing = staff.post(
        f"suggestion-boxes/openings/{opening_id}/letters",
        data={},
        content_type="multipart/form-data",
    )
    assert missing.status_code == 422


def test_opening_with_too_few_witnesses_is_refused(as_user, world):
    staff = as_user("alpha", "x-staff")
    box_id, _ = _opening(staff, world)
    response = staff.post(
        f"suggestion-boxes/{box_id}/openings",
        json={
            "opened_at": "2026-02-11T08:30:00",
            "seal_condition": "broken",
            "letters_found": 0,
            "witnesses": [{"name": "Một người"}],
        },
    )
    assert response.status_code == 422
    assert "người chứng kiến" in str(response.get_json())
