"""Attachments: streamed up and down with an authorization check; bad types, oversize files,
storage outages and failed rows leave nothing behind."""

from __future__ import annotations

import dataclasses
import io
import types

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from giamsat.cases import attachments
from giamsat.cases.models import CaseAttachment
from giamsat.core.errors import ValidationFailed
from giamsat.core.storage import storage_for
from giamsat.tenancy.names import bucket_for
from tests.plugins.hostile import clean_pdf

PDF = clean_pdf(3)


@pytest.fixture()
def case_id(as_user, make_case):
    return make_case().id


@pytest.fixture()
def attachment_count(tenant_session):
    def count() -> int:
        with tenant_session("alpha") as session:
            return session.scalar(select(func.count()).select_from(CaseAttachment))

    return count


def _upload(caller, case_id, data: bytes, name: str, purpose: str | None = None):
    form = {"file": (io.BytesIO(data), name)}
    if purpose:
        form["purpose"] = purpose
    return caller.post(
        f"cases/{case_id}/attachments", data=form, content_type="multipart/form-data"
    )


def test_upload_list_and_download(as_user, case_id, world):
    staff = as_user("alpha", "x-staff")
    created = _upload(staff, case_id, PDF, "Biên bản xác minh.pdf", "evidence")
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["content_type"], body["size"], body["purpose"]) == (
        "application/pdf",
        len(PDF),
        "evidence",
    )
    assert [a["id"] for a in staff.get(f"cases/{case_id}/attachments").get_json()] == [body["id"]]
    download = as_user("alpha", "x-reader").get(f"cases/{case_id}/attachments/{body['id']}/content")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    assert "filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert (
        as_user("alpha", "y-admin")
        .get(f"cases/{case_id}/attachments/{body['id']}/content")
        .status_code
        == 404
    )
    assert (
        as_user("beta", "admin")
        .get(f"cases/{case_id}/attachments/{body['id']}/content")
        .status_code
        == 404
    )
    history = staff.get(f"cases/{case_id}/history").get_json()
    assert history[-1]["action"] == "attach"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "hoa-don.pdf"),
        (b"\x7fELF\x02\x01", "anh.jpg"),
        (b"<html><script>alert(1)</script></html>", "thu.txt"),
        (b"\x00\x01\x02\x03binary", "x.bin"),
        (b"", "rong.pdf"),
    ],
)
def test_bad_types_are_refused_and_nothing_is_stored(
    data, name, as_user, case_id, attachment_count
):
    refused = _upload(as_user("alpha", "x-staff"), case_id, data, name)
    assert refused.status_code == 422
    assert "file" in refused.get_json()["errors"]["json"]
    assert attachment_count() == 0


def test_readonly_cannot_upload(as_user, case_id, attachment_count):
    assert _upload(as_user("alpha", "x-reader"), case_id, PDF, "a.pdf").status_code == 403
    assert attachment_count() == 0


def test_storage_down_is_a_clear_503_and_no_row(
    as_user, case_id, attachment_count, settings, monkeypatch
):
    dead = dataclasses.replace(settings, s3_url="http://127.0.0.1:9")
    monkeypatch.setattr(attachments, "settings_for_storage", lambda: dead)
    refused = _upload(as_user("alpha", "x-staff"), case_id, PDF, "a.pdf")
    assert refused.status_code == 503
    assert "kho lưu trữ" in refused.get_json()["message"]
    assert attachment_count() == 0


def test_oversize_file_leaves_no_object(tenant_session, case_id, settings, monkeypatch):
    storage = storage_for(bucket_for("alpha"), settings)
    monkeypatch.setattr(attachments, "new_key", lambda prefix: f"{prefix}/test/oversize")
    with tenant_session("alpha") as session:
        case = types.SimpleNamespace(id=case_id)
        with pytest.raises(ValidationFailed) as refused:
            attachments.store_attachment(
                session,
                case,
                stream=io.BytesIO(PDF * 4),
                filename="to.pdf",
                storage=storage,
                max_size=len(PDF) * 2,
            )
        assert "quá lớn" in refused.value.message
    assert not storage.exists("cases/attachments/test/oversize")


def test_a_row_that_cannot_be_written_deletes_its_object(
    tenant_session, case_id, settings, monkeypatch
):
    storage = storage_for(bucket_for("alpha"), settings)
    monkeypatch.setattr(attachments, "new_key", lambda prefix: f"{prefix}/test/orphan")
    with tenant_session("alpha") as session:
        missing_case = types.SimpleNamespace(id=10**8)  # the foreign key refuses the row
        with pytest.raises(IntegrityError):
            attachments.store_attachment(
                session, missing_case, stream=io.BytesIO(PDF), filename="a.pdf", storage=storage
            )
    assert not storage.exists("cases/attachments/test/orphan")


def test_a_rolled_back_transaction_deletes_its_objects(
    tenant_session, case_id, settings, monkeypatch
):
    storage = storage_for(bucket_for("alpha"), settings)
    monkeypatch.setattr(attachments, "new_key", lambda prefix: f"{prefix}/test/rolledback")
    with tenant_session("alpha") as session:
        attachments.store_attachment(
            session,
            types.SimpleNamespace(id=case_id),
            stream=io.BytesIO(PDF),
            filename="a.pdf",
            storage=storage,
        )
        assert storage.exists("cases/attachments/test/rolledback")
        session.rollback()
    assert not storage.exists("cases/attachments/test/rolledback")


def _docx() -> bytes:
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def _zip() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "xin chào")
    return out.getvalue()


def _image(fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "name", "expected"),
    [
        (lambda: _image("JPEG"), "a.jpg", "image/jpeg"),
        (lambda: _image("PNG"), "a.png", "image/png"),
        (lambda: _image("TIFF"), "scan.tif", "image/tiff"),
        (
            _docx,
            "don.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (_zip, "hoso.zip", "application/zip"),
        (
            lambda: "Đơn kiến nghị của bà con thôn Một".encode(),
            "don.txt",
            "text/plain; charset=utf-8",
        ),
    ],
)
def test_types_are_sniffed_from_the_bytes(make, name, expected):
    from giamsat.core import uploads

    with uploads.checked(io.BytesIO(make()), name, attachments.attachment_policy()) as upload:
        assert upload.content_type == expected


def test_a_zip_named_docx_that_is_no_document_is_refused():
    from giamsat.core import uploads

    with pytest.raises(ValidationFailed) as refused:
        with uploads.checked(io.BytesIO(_zip()), "don.docx", attachments.attachment_policy()):
            pass
    assert "tệp nén" in refused.value.message and "“don.docx”" in refused.value.message


def test_a_rolled_back_savepoint_keeps_committed_work(
    tenant_session, case_id, settings, monkeypatch
):
    storage = storage_for(bucket_for("alpha"), settings)
    monkeypatch.setattr(attachments, "new_key", lambda prefix: f"{prefix}/test/kept")
    with tenant_session("alpha") as session:
        attachments.store_attachment(
            session,
            types.SimpleNamespace(id=case_id),
            stream=io.BytesIO(PDF),
            filename="a.pdf",
            storage=storage,
        )
        savepoint = session.begin_nested()
        savepoint.rollback()
        assert storage.exists("cases/attachments/test/kept")
        session.commit()
    assert storage.exists("cases/attachments/test/kept")
    storage.delete("cases/attachments/test/kept")
