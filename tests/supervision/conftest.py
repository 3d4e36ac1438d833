"""Fixtures of the supervision tests: API callers, principals, people and XLSX files."""
from __future__ import annotations

import io

import pytest
from giamsat.accounts.models import User
from giamsat.identity import Principal
from giamsat.core.audit import AuditEntry
from giamsat.supervision.models import SupervisedPerson
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.api.helpers import ApiCaller

#: The layout's headers, as the template writes them.
HEADERS = ["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Đối tượng", "Cơ quan công tác", "Đơn vị",
           "Nơi cư trú", "Diện quản lý", "Đảng viên", "Ghi chú"]

#: Three good rows of a commune's list.
GOOD_ROWS = [
    [1, "Nguyễn Văn An", 1970, "Bí thư Đảng ủy xã", "Người đứng đầu", "Đảng ủy xã Đông",
     "", "Thôn Một", "Ban Thường vụ Tỉnh ủy quản lý", "có", ""],
    [2, "Trần Thị Bình", "1982", "Chủ tịch UBND xã", "Cán bộ chủ chốt", "UBND xã Đông",
     "Văn phòng", "Xóm Ba, thôn Năm", "Đảng ủy xã quản lý", "Có", "Mới bổ nhiệm"],
    [3, "Lê Văn Cường", None, "Công chức địa chính", "Cán bộ, đảng viên", "UBND xã Đông",
     "Địa chính", "", "", "không", None],
]


def xlsx_bytes(rows, headers=HEADERS, title: str | None = "DANH SÁCH ĐỐI TƯỢNG GIÁM SÁT",
               sheets: int = 1) -> bytes:
    """A workbook with an optional title row, a blank row, the header row and `rows`."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.append([])
    if headers:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for index in range(1, sheets):
        workbook.create_sheet(f"Khác {index}")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture()
def as_user(client, api_token):
    """`as_user("alpha", "x-staff")` — an ApiCaller for that fixture user."""

    def make(slug: str, who: str) -> ApiCaller:
        return ApiCaller(client, slug, api_token(slug, who))

    return make


@pytest.fixture()
def principal_of(tenant_session, world):
    """`principal_of("alpha", "x-staff")` — the Principal of a fixture user."""

    def make(slug: str, who: str) -> Principal:
        tenant = getattr(world, slug)
        with tenant_session(slug) as session:
            return Principal.of(session.get(User, tenant.users[who]))

    return make


# Test-side reads close their session at once: sessions of one schema share a connection
# through SAVEPOINTs, which must be released in the order they were opened.
@pytest.fixture()
def audit_count(tenant_session):
    """`audit_count("alpha", object_type="supervised_people", action="import")`."""

    def count(slug: str, **where) -> int:
        with tenant_session(slug) as session:
            return session.scalar(select(func.count()).select_from(AuditEntry).filter_by(**where))

    return count


@pytest.fixture()
def people_count(tenant_session):
    def count(slug: str = "alpha", **where) -> int:
        with tenant_session(slug) as session:
            return session.scalar(
                select(func.count()).select_from(SupervisedPerson).filter_by(**where))

    return count


NEW_PERSON = {"full_name": "Phạm Văn Dũng", "birth_year": 1968, "position": "Trưởng thôn",
              "tier": "key_cadre", "workplace_agency": "UBND xã Đông",
              "management_level": "commune_party_committee", "is_party_member": True}


@pytest.fixture()
def make_person(as_user, world):
    """`make_person(slug="alpha", unit="commune_x", who="x-staff", **fields)` → person JSON."""

    def make(slug: str = "alpha", unit: str = "commune_x", who: str = "x-staff", **fields):
        body = {"unit_id": getattr(getattr(world, slug), unit), **NEW_PERSON, **fields}
        response = as_user(slug, who).post("supervision/people", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make
