"""Bulk onboarding: the XLSX template, the preview, all-or-nothing import, the upload guard,
the one-time sheet, the first sign-in that forces a new password, and sign-in links by email."""

from __future__ import annotations

import base64
import dataclasses
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from giamsat.accounts.people.importing import TEMPLATE_NAME
from giamsat.accounts.people.upload_guard import safe_cell
from tests.plugins.pages import field_error, text_of

ROWS = [
    ("91001", "", "Cán bộ", "Đỗ Minh Châu", "chau@xadong.vn", ""),
    ("Xã Đông Alpha", "MTTQ", "Chỉ xem", "Vũ Thị Lan", "", "0901 222 333"),
    ("Thôn Một", "", "Quản trị đơn vị", "Hoàng Văn Nam", "nam@xadong.vn", ""),
]


def _upload(pages, data: bytes, url="/t/alpha/people/import"):
    return pages.post(
        url, {"file": (io.BytesIO(data), "danh-sach.xlsx")}, content_type="multipart/form-data"
    )


def test_template_lists_the_admins_units_and_neutralises_formulas(pages, world, tenant_session):
    from giamsat.units.models import Unit

    with tenant_session("alpha") as session:
        session.get(Unit, world.alpha.area_x).name = '=HYPERLINK("http://x")'
        session.commit()
    pages.login("alpha", "x-admin")
    response = pages.get("/t/alpha/people/import/template.xlsx")
    assert response.status_code == 200
    assert TEMPLATE_NAME in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert [c.value for c in book["Danh sách"][1]][:3] == [
        "Đơn vị (mã hoặc tên)",
        "Tổ chức (để trống nếu là cán bộ Mặt trận)",
        "Vai trò",
    ]
    names = [row[1] for row in book["Hướng dẫn"].iter_rows(values_only=True) if len(row) > 1]
    assert "Xã Đông Alpha" in names and "Phường Tây Alpha" not in names
    assert '\'=HYPERLINK("http://x")' in names
    assert safe_cell("+1") == "'+1" and safe_cell("@a") == "'@a" and safe_cell("Thôn") == "Thôn"


def test_preview_then_import_everyone_with_a_sheet_shown_once(
    pages, world, people_xlsx, stored_user, user_count, audit_of
):
    pages.login("alpha", "x-admin")
    before = user_count()
    preview = _upload(pages, people_xlsx(ROWS))
    assert preview.status_code == 200, text_of(preview)
    assert "Xem trước: 3 người" in text_of(preview)
    assert user_count() == before  # the preview writes nothing
    payload = re.search(
        r'name="payload" type="hidden" value="([^"]+)"', preview.get_data(as_text=True)
    )
    assert payload
    sheet = pages.post("/t/alpha/people/import/confirm", {"payload": payload.group(1)})
    assert sheet.status_code == 200 and sheet.headers["Cache-Control"] == "no-store"
    passwords = re.findall(r'class="temporary-password">([^<]+)<', sheet.get_data(as_text=True))
    assert len(passwords) == 3 and len(set(passwords)) == 3
    assert user_count() == before + 3
    lan = stored_user("alpha", username="dt0901222333")
    assert lan.full_name == "Vũ Thị Lan" and lan.must_change_password
    assert lan.roles[0].organization_id == world.alpha.org_mttq
    assert stored_user("alpha", username="nam@xadong.vn").roles[0].unit_id == world.alpha.area_x
    assert ("import", "bulk") in audit_of("alpha")
    # The same file again: everyone already exists, nobody is added twice.
    again = pages.post("/t/alpha/people/import/confirm", {"payload": payload.group(1)})
    assert again.status_code == 422 and "đã có tài khoản" in text_of(again)
    assert user_count() == before + 3


def test_one_bad_row_imports_nobody(pages, world, people_xlsx, user_count):
    pages.login("alpha", "x-admin")
    before = user_count()
    rows = ROWS + [
        ("Phường Tây Alpha", "", "Cán bộ", "Người Ngoài", "ngoai@x.vn", ""),
        ("91001", "", "Quản trị tỉnh", "Leo Thang", "leo@x.vn", ""),
        ("91001", "", "Cán bộ", "Trùng Thư", "chau@xadong.vn", ""),
    ]
    preview = _upload(pages, people_xlsx(rows))
    assert preview.status_code == 422
    text = text_of(preview)
    assert "Dòng 5: không thấy đơn vị “Phường Tây Alpha”" in text
    assert "Dòng 6: chỉ quản trị tỉnh giao được vai trò quản trị tỉnh" in text
    assert "Dòng 7: trùng người ở dòng 2" in text
    assert "/people/import/confirm" not in preview.get_data(as_text=True)
    # Forcing the confirm step with that file still imports nobody.
    payload = base64.b64encode(people_xlsx(rows)).decode()
    forced = pages.post("/t/alpha/people/import/confirm", {"payload": payload})
    assert forced.status_code == 422 and "Chưa nhập ai" in text_of(forced)
    assert user_count() == before


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 40_000_000)
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda xlsx: _bomb(), "bung ra quá lớn"),
        (lambda xlsx: b"not a zip at all", "không phải là bảng tính Excel"),
        (
            lambda xlsx: xlsx(
                [("91001", "", "Cán bộ", f"Người {i}", "", f"09{i:08d}") for i in range(2001)]
            ),
            "hơn 2000 dòng",
        ),
        (lambda xlsx: xlsx(ROWS, headers=("Tên", "Tuổi")), "không phải tiêu đề của tệp mẫu"),
    ],
)
def test_the_upload_guard_refuses_before_parsing(pages, people_xlsx, user_count, make, message):
    pages.login("alpha", "admin")
    before = user_count()
    response = _upload(pages, make(people_xlsx))
    assert response.status_code == 422
    assert message in field_error(response, "file")
    assert user_count() == before


def test_first_sign_in_with_a_temporary_password_must_choose_a_new_one(
    pages, world, as_user, audit_of
):
    created = (
        as_user("alpha", "x-admin")
        .post(
            "users",
            json={
                "full_name": "Mai Anh",
                "phone": "0933444555",
                "role": "staff",
                "unit_id": world.alpha.commune_x,
            },
        )
        .get_json()
    )
    temporary = created["temporary_password"]
    pages.login("alpha", "x-admin")  # a fresh browser session for the new person follows
    pages.client.post("/t/alpha/logout", data={"csrf_token": pages.csrf_token()})
    signed_in = pages.post("/t/alpha/login", {"username": "dt0933444555", "password": temporary})
    assert signed_in.status_code == 302
    for url in ("/t/alpha/", "/t/alpha/cases/", "/t/alpha/account/tokens"):
        held = pages.get(url)
        assert held.status_code == 302 and held.headers["Location"].endswith(
            "/t/alpha/account/first-password"
        ), url
    short = pages.post("/t/alpha/account/first-password", {"password": "ngan", "confirm": "ngan"})
    assert short.status_code == 422 and "ít nhất 10 ký tự" in field_error(short, "password")
    mismatch = pages.post(
        "/t/alpha/account/first-password", {"password": "mot cau de nho", "confirm": "mot cau khac"}
    )
    assert mismatch.status_code == 422 and field_error(mismatch, "confirm")
    done = pages.post(
        "/t/alpha/account/first-password",
        {"password": "mot cau de nho", "confirm": "mot cau de nho"},
    )
    assert done.status_code == 302
    assert pages.get("/t/alpha/").status_code == 200
    assert ("set_own_password", str(created["id"])) in audit_of("alpha")
    # The temporary password no longer works; the chosen one does.
    pages.client.post("/t/alpha/logout", data={"csrf_token": pages.csrf_token()})
    assert (
        pages.post(
            "/t/alpha/login", {"username": "dt0933444555", "password": temporary}
        ).status_code
        == 422
    )
    assert (
        pages.post(
            "/t/alpha/login", {"username": "dt0933444555", "password": "mot cau de nho"}
        ).status_code
        == 302
    )


@pytest.fixture()
def invite_by_email(app):
    app.config["GIAMSAT"] = dataclasses.replace(app.config["GIAMSAT"], invite_by_email=True)
    return app


def _run_invites(db, world):
    from sqlalchemy import select

    from giamsat.accounts.people.invites import JOB, send_signin_link
    from giamsat.jobs.models import OutboxEntry

    with db.session(world.alpha.schema) as s:
        entries = list(
            s.scalars(
                select(OutboxEntry).where(
                    OutboxEntry.job_name == JOB, OutboxEntry.done_at.is_(None)
                )
            )
        )
    return [send_signin_link(tenant_id=e.tenant_id, _outbox_id=e.id, **e.args) for e in entries]


def test_with_email_invites_a_link_arrives_never_a_password(
    invite_by_email, pages, world, people_xlsx, inbox, db, stored_user
):
    pages.login("alpha", "x-admin")
    preview = _upload(pages, people_xlsx(ROWS))
    payload = re.search(
        r'name="payload" type="hidden" value="([^"]+)"', preview.get_data(as_text=True)
    )
    sheet = pages.post("/t/alpha/people/import/confirm", {"payload": payload.group(1)})
    # Two have addresses (links by email); only Lan, without one, gets a password on the sheet.
    assert len(re.findall(r'class="temporary-password">', sheet.get_data(as_text=True))) == 1
    assert "Đã gửi liên kết đăng nhập tới chau@xadong.vn" in text_of(sheet)
    assert _run_invites(db, world) == ["sent", "sent"]
    message = next(m for m in inbox.messages if m["To"] == "chau@xadong.vn")
    body = message.get_content()
    link = re.search(r"https://giamsat\.example\.vn(/t/alpha/signin/\S+)", body)
    assert link and "mật khẩu tạm" not in body.lower()
    user = stored_user("alpha", username="chau@xadong.vn")
    assert user.signin_token_hash and link.group(1).rsplit("/", 1)[1] not in (
        user.signin_token_hash or ""
    )

    pages.client.post("/t/alpha/logout", data={"csrf_token": pages.csrf_token()})
    assert pages.get(link.group(1)).status_code == 200  # a scanner's GET does not use it up
    signed = pages.post(link.group(1))
    assert signed.status_code == 302 and signed.headers["Location"].endswith(
        "/account/first-password"
    )
    assert pages.get("/t/alpha/").status_code == 302
    chosen = {"password": "thon mot xa dong", "confirm": "thon mot xa dong"}
    assert pages.post("/t/alpha/account/first-password", chosen).status_code == 302
    # The link worked once.
    pages.client.post("/t/alpha/logout", data={"csrf_token": pages.csrf_token()})
    assert pages.get(link.group(1)).status_code == 404
