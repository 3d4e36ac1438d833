"""A report may name the department of its unit that owns it (Ban DC-PL…): over the API and on
the edit page; a department of another unit is refused (422) and nothing is saved."""

from __future__ import annotations

import pytest

from giamsat.reports.models import PeriodKind
from giamsat.reports.provisioning import provision_tenant
from tests.plugins.api import field_errors
from tests.plugins.pages import field_error, text_of
from tests.plugins.reports import TODAY, period_of


@pytest.fixture()
def q1(tenant_session):
    s = tenant_session("alpha")
    provision_tenant(s, today=TODAY)
    period = period_of(s, PeriodKind.quarterly, 2026, 1)
    s.commit()
    s.close()
    return period.id


def _department(caller, unit_id, name="Ban Dân chủ – Pháp luật"):
    body = {"unit_id": unit_id, "kind": "democracy_law", "name": name}
    response = caller.post("departments", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_reports_owner_is_a_department_of_its_unit(as_user, world, q1, pages):
    a = world.alpha
    x_admin = as_user("alpha", "x-admin")
    dx = _department(x_admin, a.commune_x)
    dy = _department(as_user("alpha", "y-admin"), a.commune_y)
    report = x_admin.post("reports", json={"period_id": q1, "unit_id": a.commune_x}).get_json()
    assert report["department_id"] is None
    url = f"reports/{report['id']}"
    etag = x_admin.get(url).headers["ETag"]
    refused = x_admin.patch(
        url,
        headers={"If-Match": etag},
        json={"department_id": dy["id"], "narrative": {"results": "Không lưu"}},
    )
    assert refused.status_code == 422 and "department_id" in field_errors(refused)
    assert x_admin.get(url).get_json()["results"] == ""  # nothing half-written
    saved = x_admin.patch(url, headers={"If-Match": etag}, json={"department_id": dx["id"]})
    assert saved.status_code == 200 and saved.get_json()["department_id"] == dx["id"]

    pages.login("alpha", "x-admin")
    edit = pages.get(f"/t/alpha/reports/{report['id']}/edit")
    assert "Ban phụ trách" in text_of(edit)
    version = str(x_admin.get(url).get_json()["version"])
    wrong = pages.post(
        f"/t/alpha/reports/{report['id']}/edit", {"version": version, "department_id": dy["id"]}
    )
    assert wrong.status_code == 422
    assert field_error(wrong, "department_id") == (
        "Ban phụ trách phải là một ban của chính đơn vị giữ hồ sơ."
    )
    cleared = pages.post(
        f"/t/alpha/reports/{report['id']}/edit",
        {"version": version, "department_id": ""},
        follow_redirects=True,
    )
    assert cleared.status_code == 200
    assert x_admin.get(url).get_json()["department_id"] is None
