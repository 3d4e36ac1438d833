"""No API response, page, export or log line shows the reporter to anyone but a revealing
leader; reveal refusals through the API and the pages."""

from __future__ import annotations

import html
import io
import logging
import zipfile

import pytest
from sqlalchemy import select

from giamsat.cases import protection
from giamsat.cases.models import Case
from giamsat.core.audit import AuditEntry
from giamsat.identity import Role
from tests.plugins.api import ApiCaller
from tests.plugins.pages import Pages
from tests.plugins.protection import IDENTITY, NEEDLES

REASON = "Cần liên hệ lại người tố cáo để xác minh"
ROLES = ("x-staff", "x-reader", "x-admin", "admin", "x-leader")


@pytest.fixture()
def app(monkeypatch, settings, db, keep_job_runtime):
    """The whole app with CSRF on."""
    from giamsat.app import create_app

    app = create_app(settings=settings, database=db)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=True)
    return app


@pytest.fixture()
def leaders(add_user, world):
    add_user("alpha", "x-leader", Role.leader, world.alpha.commune_x)
    add_user("alpha", "y-leader", Role.leader, world.alpha.commune_y)


@pytest.fixture()
def api(client, api_token, leaders):
    return lambda who: ApiCaller(client, "alpha", api_token("alpha", who))


def assert_hidden(body: str, where: str) -> None:
    for needle in NEEDLES:
        assert needle not in body, f"{needle!r} shown in {where}"


def _intake_by_api(api, world):
    response = api("x-staff").post(
        "cases",
        json={
            "unit_id": world.alpha.commune_x,
            "channel": "in_person",
            "kind": "denunciation",
            "title": "Tố cáo cán bộ địa chính",
            "content": "Nội dung tố cáo thử nghiệm.",
            "tags": ["CV"],
            "reporter_mode": "confidential",
            "reporter": IDENTITY,
        },
    )
    assert response.status_code == 201, response.get_json()
    return response


def test_api_never_returns_the_identity_and_reveal_is_guarded(
    api, world, catalogue, caplog, json_log, tenant_session
):
    caplog.set_level(logging.DEBUG)
    created = _intake_by_api(api, world)
    body = created.get_json()
    case_id = body["id"]
    assert body["reporter"] == "Đã ẩn danh tính (bảo mật)"
    assert_hidden(created.get_data(as_text=True), "the intake response")
    for who in ROLES:
        caller = api(who)
        for path in (
            "cases",
            f"cases/{case_id}",
            f"cases/{case_id}/history",
            f"cases/{case_id}/related",
            "cases?q=Tran%20Thi%20Bao%20Mat",
        ):
            response = caller.get(path)
            assert response.status_code == 200, (who, path)
            assert_hidden(response.get_data(as_text=True), f"GET {path} as {who}")
        # Searching for the person finds nothing: their name is not among the case's words.
        assert caller.get("cases?q=Tran%20Thi%20Bao%20Mat").get_json() == []

    reveal = f"cases/{case_id}/reporter/reveal"
    for who in ("x-staff", "x-reader", "x-admin", "admin"):
        response = api(who).post(reveal, json={"reason": REASON})
        assert response.status_code == 403, who
        assert_hidden(response.get_data(as_text=True), f"refused reveal as {who}")
    for who in ("y-admin", "y-leader"):  # a sibling commune does not even see the case
        assert api(who).post(reveal, json={"reason": REASON}).status_code == 404, who
    short = api("x-leader").post(reveal, json={"reason": "xem"})
    assert short.status_code == 422 and "reason" in short.get_data(as_text=True)
    assert_hidden(short.get_data(as_text=True), "a reveal with too short a reason")
    session = tenant_session("alpha")
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "reveal_identity")) is None

    shown = api("x-leader").post(reveal, json={"reason": REASON})
    assert shown.status_code == 200 and shown.get_json() == IDENTITY
    assert shown.headers["Cache-Control"] == "no-store"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "reveal_identity"))
    assert entry.changes == {"reason": [None, REASON]} and entry.object_id == str(case_id)
    assert_hidden(str(entry.changes), "the audit entry")
    # After the reveal, the case itself is still masked, even to the leader.
    assert_hidden(api("x-leader").get(f"cases/{case_id}").get_data(as_text=True), "the case")

    logged = caplog.text + json_log.getvalue()
    assert logged  # requests were logged
    assert_hidden(logged, "the logs")


def test_the_escalated_copy_has_no_identity(api, world, catalogue, tenant_session):
    case_id = _intake_by_api(api, world).get_json()["id"]
    moved = api("x-staff").post(
        f"cases/{case_id}/transitions",
        json={"action": "escalate", "reason": "Vượt thẩm quyền cấp xã."},
    )
    assert moved.status_code == 200, moved.get_json()
    session = tenant_session("alpha")
    copy_id = session.get(Case, case_id).next_case_id
    assert copy_id and not protection.has_identity(session, copy_id)
    assert_hidden(api("admin").get(f"cases/{copy_id}").get_data(as_text=True), "the copy")
    assert api("admin").post(
        f"cases/{copy_id}/reporter/reveal", json={"reason": REASON}
    ).status_code in (403, 404)


@pytest.fixture()
def browser(app, world, leaders):
    """`browser("x-staff")` — a fresh browser logged in as that alpha user."""

    def open_(who: str) -> Pages:
        pages = Pages(app.test_client(), world)
        pages.login("alpha", who)
        return pages

    return open_


def _intake_by_page(browser) -> int:
    response = browser("x-staff").post(
        "/t/alpha/cases/new",
        {
            "received_on": "2025-03-03",
            "channel": "in_person",
            "kind": "petition",
            "title": "Phản ánh đường làng",
            "content": "Đường làng bị lấn chiếm.",
            "reporter_mode": "open",
            "reporter_name": IDENTITY["name"],
            "reporter_contact": IDENTITY["contact"],
            "reporter_address": IDENTITY["address"],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_pages_and_export_never_show_the_identity(browser, catalogue, caplog, json_log):
    caplog.set_level(logging.DEBUG)
    case_id = _intake_by_page(browser)
    for who in ROLES:
        pages = browser(who)
        for url in ("/t/alpha/cases/", f"/t/alpha/cases/{case_id}"):
            response = pages.get(url)
            assert response.status_code == 200, (who, url)
            assert_hidden(response.get_data(as_text=True), f"{url} as {who}")
        export = pages.get("/t/alpha/cases/export.xlsx")
        assert export.status_code == 200
        with zipfile.ZipFile(io.BytesIO(export.data)) as book:
            # Writers may escape non-ASCII letters as character references (&#7843;): read the
            # text as a spreadsheet program would before searching it.
            xml = html.unescape(
                "".join(
                    book.read(name).decode("utf-8")
                    for name in book.namelist()
                    if name.endswith(".xml")
                )
            )
        assert "Phản ánh đường làng" in xml and "Đã ẩn danh tính" in xml  # the row is there
        assert_hidden(xml, f"the export as {who}")
    assert_hidden(caplog.text + json_log.getvalue(), "the logs")


def test_reveal_page_refusals_and_success(browser, catalogue, tenant_session):
    case_id = _intake_by_page(browser)
    url = f"/t/alpha/cases/{case_id}/reveal"
    for who, status in (("x-staff", 403), ("x-reader", 403), ("x-admin", 403), ("y-leader", 404)):
        response = browser(who).post(url, {"reason": REASON})
        assert response.status_code == status, who
        assert_hidden(response.get_data(as_text=True), f"the reveal page as {who}")
    pages = browser("x-leader")
    short = pages.post(url, {"reason": "xem"})
    assert short.status_code == 422
    assert_hidden(short.get_data(as_text=True), "a refused reveal page")
    shown = pages.post(url, {"reason": REASON})
    assert shown.status_code == 200 and IDENTITY["name"] in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"] == "no-store"
    entry = tenant_session("alpha").scalar(
        select(AuditEntry).where(AuditEntry.action == "reveal_identity")
    )
    assert entry.changes == {"reason": [None, REASON]}
