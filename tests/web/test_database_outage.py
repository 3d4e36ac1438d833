"""PostgreSQL stopped under a running app: 503 with Retry-After, every typed value handed back
in a form that posts it again, nothing half-written; once the server is back the same form goes
through. The server stopped is the test's own (`private_postgres`), never the shared one."""

from __future__ import annotations

import dataclasses
import re
import time
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from giamsat.cases.models import Case
from giamsat.jobs.models import OutboxEntry
from giamsat.jobs.runtime import current_runtime, install_runtime
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from giamsat.web.outage import RETRY_AFTER
from tests.plugins.pages import CSRF_INPUT, text_of
from tests.plugins.world import PASSWORD, build_tenant

SLUG = "matdien"

PUBLIC = {
    "kind": "complaint",
    "title": "Đường liên thôn bị hỏng lâu chưa sửa",
    "content": "Ổ gà sâu trên đoạn qua trường tiểu học.\nMưa xuống là ngập, học sinh ngã.",
    "concerned": "Ông Trần Văn Bảy, cán bộ địa chính",
    "reporter_mode": "confidential",
    "name": "Lê Thị Hoa",
    "contact": "0987 654 321",
    "address": "Thôn Một, xã Đông",
    "consent": "y",
}
INTAKE = {
    "received_on": "2026-03-02",
    "channel": "suggestion_box",
    "kind": "petition",
    "title": "Trưởng thôn thu tiền sai quy định",
    "content": "Thu 200.000 đồng mỗi hộ.",
    "concerned": "Ông Nguyễn Văn An, trưởng thôn",
    "reporter_mode": "open",
    "reporter_name": "Phạm Văn Cường",
    "reporter_contact": "cuong@example.vn",
    "reporter_address": "Tổ dân phố Hai",
}


class _Form(HTMLParser):
    """The action and the fields of the first form on the page with a method of POST that is
    not the language switch (what a browser would send)."""

    def __init__(self):
        super().__init__()
        self.action, self.fields, self._in_form, self._textarea = None, [], False, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "outage-form" in (a.get("class") or ""):
            self.action, self._in_form = a.get("action"), True
        elif self._in_form and tag == "input" and a.get("name"):
            self.fields.append((a["name"], a.get("value") or ""))
        elif self._in_form and tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def _handed_back(response) -> tuple[str, dict[str, str]]:
    form = _Form()
    form.feed(response.get_data(as_text=True))
    assert form.action, "the outage page has no form to send again"
    return form.action, dict(form.fields)


@pytest.fixture(scope="module")
def outage(private_postgres, migrations_dir_session, settings):
    from giamsat.app import create_app

    engine = private_postgres.engine()
    tw = build_tenant(engine, migrations_dir_session, SLUG, "Mất Điện", 97)
    previous = current_runtime(build=False)
    app = create_app(settings=dataclasses.replace(settings, database_url=private_postgres.url))
    yield app, engine, tw
    install_runtime(previous)
    app.extensions["giamsat"].database.dispose()
    engine.dispose()


def _count(engine, model) -> int:
    from giamsat.core.db import Database

    db = Database(engine)
    with db.session() as shared:
        tenant = shared.get(Tenant, shared.scalar(select(Tenant.id).where(Tenant.slug == SLUG)))
    with tenant_context(db, tenant) as scope:
        return scope.session.scalar(select(func.count()).select_from(model))


def _outbox_rows(engine) -> int:
    from giamsat.core.db import Database

    with Database(engine).session() as shared:
        return shared.scalar(select(func.count()).select_from(OutboxEntry))


@pytest.fixture()
def stopped(private_postgres):
    """Stops the private server for the test's `with` block; always starts it again."""

    class Outage:
        def __enter__(self):
            private_postgres.stop()

        def __exit__(self, *exc):
            private_postgres.start()

    return Outage()


def test_a_public_submission_during_an_outage_is_handed_back_and_goes_through_after(
    outage, stopped
):
    app, engine, tw = outage
    client = app.test_client()
    url = f"/t/{SLUG}/gop-y/{tw.commune_x}"
    token = CSRF_INPUT.search(client.get(url).get_data(as_text=True)).group(1)
    sent = dict(PUBLIC, csrf_token=token)
    cases_before, jobs_before = _count(engine, Case), _outbox_rows(engine)

    with stopped:
        began = time.monotonic()
        response = client.post(url, data=sent)
        took = time.monotonic() - began
        api = client.get(f"/api/v1/t/{SLUG}/cases", headers={"Authorization": "Bearer x"})
        api_post = client.post(
            f"/api/v1/t/{SLUG}/cases", json={"title": "x"}, headers={"Authorization": "Bearer x"}
        )

    print(f"\npublic form answered 503 in {took:.2f} s with PostgreSQL stopped")
    assert response.status_code == 503 and took < 10
    assert response.headers["Retry-After"] == str(RETRY_AFTER)
    text = text_of(response)
    assert "Hệ thống đang tạm gián đoạn" in text and "Gửi lại" in text
    action, kept = _handed_back(response)
    assert action == url
    assert kept == sent  # every field, the token included, exactly as typed
    # Shown with the form's own labels; choices in their words, not their codes.
    for words in ("Tóm tắt trong một câu", "Họ và tên", "Khiếu nại", "giữ bí mật"):
        assert words in text, words
    for answer in (api, api_post):
        assert answer.status_code == 503 and answer.headers["Retry-After"] == str(RETRY_AFTER)
        assert answer.get_json()["code"] == 503
        assert "tạm gián đoạn" in answer.get_json()["message"]

    # The server is back: nothing was half-written, and the handed-back form goes through.
    assert (_count(engine, Case), _outbox_rows(engine)) == (cases_before, jobs_before)
    again = client.post(action, data=kept)
    assert again.status_code == 200, text_of(again)
    assert "mã tra cứu" in text_of(again).lower()
    assert _count(engine, Case) == cases_before + 1


def test_staff_intake_during_an_outage_keeps_the_form(outage, stopped):
    app, engine, tw = outage
    client = app.test_client()
    login = f"/t/{SLUG}/login"
    token = CSRF_INPUT.search(client.get(login).get_data(as_text=True)).group(1)
    logged_in = client.post(
        login, data={"username": f"{SLUG}-x-staff", "password": PASSWORD, "csrf_token": token}
    )
    assert logged_in.status_code == 302
    url = f"/t/{SLUG}/cases/new?unit={tw.commune_x}"
    token = CSRF_INPUT.search(client.get(url).get_data(as_text=True)).group(1)
    sent = dict(INTAKE, csrf_token=token)
    before = _count(engine, Case)

    with stopped:
        response = client.post(url, data=sent)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER)
    action, kept = _handed_back(response)
    assert action == url and kept == sent
    text = text_of(response)
    for words in ("Tiêu đề ngắn", "Họ và tên người gửi", "Danh tính người gửi"):
        assert words in text, words

    assert _count(engine, Case) == before
    again = client.post(action, data=kept)
    assert again.status_code == 302, text_of(again)
    assert _count(engine, Case) == before + 1


def test_a_password_is_never_written_back(outage, stopped):
    app, _engine, _tw = outage
    client = app.test_client()
    login = f"/t/{SLUG}/login"
    token = CSRF_INPUT.search(client.get(login).get_data(as_text=True)).group(1)
    with stopped:
        response = client.post(
            login,
            data={"username": f"{SLUG}-admin", "password": "bi-mat-123", "csrf_token": token},
        )
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "bi-mat-123" not in page and f"{SLUG}-admin" in page
    assert re.search(r'type="password" name="password"', page)


def test_the_server_stopping_while_the_submission_commits_writes_nothing(outage, private_postgres):
    """The outage hits at the request's one commit (after the view ran): still 503 and the form,
    and none of the case's rows exist afterwards."""
    app, engine, tw = outage
    client = app.test_client()
    url = f"/t/{SLUG}/gop-y/{tw.commune_x}"
    token = CSRF_INPUT.search(client.get(url).get_data(as_text=True)).group(1)
    sent = dict(PUBLIC, title="Cống thoát nước bị tắc", csrf_token=token)
    before = _count(engine, Case)
    armed = []

    def stop_before_commit(response):  # runs before the resolver's commit (registered later)
        if armed:
            armed.clear()
            private_postgres.stop()
        return response

    app.after_request_funcs.setdefault(None, []).append(stop_before_commit)
    try:
        armed.append(True)
        response = client.post(url, data=sent)
    finally:
        app.after_request_funcs[None].remove(stop_before_commit)
        if private_postgres.server.proc is None:
            private_postgres.start()

    assert response.status_code == 503, text_of(response)
    assert response.headers["Retry-After"] == str(RETRY_AFTER)
    assert _handed_back(response) == (url, sent)
    assert _count(engine, Case) == before
    again = client.post(url, data=sent)
    assert again.status_code == 200 and _count(engine, Case) == before + 1
