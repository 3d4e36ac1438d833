"""Tagging findings on the pages (issue 19 point 2): the cases' catalogue checkboxes on the
comment, recommendation and dialogue-issue forms and their own tags pages; tags shown where
the records are listed and shown; a bad code is a plain sentence and nothing is saved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from giamsat.supervision.models import (
    DialogueIssue,
    Recommendation,
    SupervisionActivity,
    SupervisionComment,
)
from giamsat.supervision.operations import set_recommendation_tags
from tests.plugins.pages import field_error, text_of

PREFIX = "/t/alpha/supervision"


@pytest.fixture(autouse=True)
def _catalogue(catalogue):
    """The tags come from the seeded catalogue of both tenants."""


def _all(tenant_session, stmt):
    with tenant_session("alpha") as session:
        return list(session.scalars(stmt))


def _count(tenant_session, model) -> int:
    with tenant_session("alpha") as session:
        return session.scalar(select(func.count()).select_from(model))


def _codes(tenant_session, model, record_id) -> list[str]:
    with tenant_session("alpha") as session:
        return sorted(t.code for t in session.get(model, record_id).tags)


def test_a_comment_is_tagged_on_its_form_shown_and_retagged(pages, register, tenant_session, world):
    pages.login("alpha", "x-staff")
    activity = register["x"].activity
    url = f"{PREFIX}/activities/{activity}/comments/new"
    form = pages.get(url).get_data(as_text=True)
    assert 'name="tags" id="tags-DD-7" value="DD-7"' in form and "CT-1" in form
    before = _count(tenant_session, SupervisionComment)
    bad = pages.post(url, {"person_id": "", "content": "Góp ý", "tags": ["DD-7", "ZZ-9"]})
    assert bad.status_code == 422 and "ZZ-9" in field_error(bad, "tags")
    assert 'id="tags-DD-7" value="DD-7" checked' in bad.get_data(as_text=True)  # kept
    assert _count(tenant_session, SupervisionComment) == before
    saved = pages.post(
        url,
        {"person_id": "", "content": "Còn nói không đi đôi với làm", "tags": ["DD-7", "CT-1"]},
        follow_redirects=True,
    )
    assert "Đã ghi ý kiến góp ý." in text_of(saved)
    comment = _all(
        tenant_session,
        select(SupervisionComment).where(SupervisionComment.content.startswith("Còn nói")),
    )[0]
    assert _codes(tenant_session, SupervisionComment, comment.id) == ["CT-1", "DD-7"]
    page = text_of(pages.get(f"{PREFIX}/activities/{activity}"))
    assert "CT-1" in page and "DD-7" in page and "Sửa phân loại" in page

    tags_url = f"{PREFIX}/activities/{activity}/comments/{comment.id}/tags"
    shown = pages.get(tags_url).get_data(as_text=True)
    assert 'id="tags-DD-7" value="DD-7" checked' in shown
    refused = pages.post(tags_url, {"tags": ["NOPE"]})
    assert refused.status_code == 422 and "NOPE" in field_error(refused, "tags")
    assert _codes(tenant_session, SupervisionComment, comment.id) == ["CT-1", "DD-7"]
    changed = pages.post(tags_url, {"tags": ["DB-2"]}, follow_redirects=True)
    assert "Đã lưu phân loại." in text_of(changed)
    assert _codes(tenant_session, SupervisionComment, comment.id) == ["DB-2"]


def test_a_recommendation_is_tagged_on_its_form_and_listed_with_its_tags(
    pages, register, tenant_session, world
):
    pages.login("alpha", "x-staff")
    data = {
        "unit_id": str(world.alpha.commune_x),
        "organization_id": str(world.alpha.org_mttq),
        "activity_id": "",
        "person_id": "",
        "addressee_kind": "authority",
        "addressee_name": "UBND xã Đông",
        "content": "Đề nghị chấn chỉnh lối sống xa hoa của cán bộ",
        "issued_on": "",
        "expected_answer": "accept",
    }
    before = _count(tenant_session, Recommendation)
    bad = pages.post(f"{PREFIX}/recommendations/new", data | {"tags": ["XX"]})
    assert bad.status_code == 422 and "XX" in field_error(bad, "tags")
    assert _count(tenant_session, Recommendation) == before
    pages.post(f"{PREFIX}/recommendations/new", data | {"tags": ["DD-5"]})
    rec = _all(
        tenant_session,
        select(Recommendation).where(Recommendation.addressee_name == "UBND xã Đông"),
    )[0]
    assert _codes(tenant_session, Recommendation, rec.id) == ["DD-5"]
    assert "DD-5" in text_of(pages.get(f"{PREFIX}/recommendations/{rec.id}"))
    assert "DD-5" in text_of(pages.get(f"{PREFIX}/recommendations"))
    retagged = pages.post(
        f"{PREFIX}/recommendations/{rec.id}/tags", {"tags": ["CT-3", "DD-5"]}, follow_redirects=True
    )
    assert "Đã lưu phân loại." in text_of(retagged)
    assert _codes(tenant_session, Recommendation, rec.id) == ["CT-3", "DD-5"]


def test_a_dialogue_issue_is_tagged_on_its_form_and_shown(pages, register, tenant_session):
    pages.login("alpha", "x-staff")
    base = f"{PREFIX}/dialogues/{register['x'].dialogue}"
    pages.post(f"{base}/issues/new", {"content": "Cán bộ gây phiền hà", "tags": ["DD-7"]})
    issue = _all(
        tenant_session, select(DialogueIssue).where(DialogueIssue.content == "Cán bộ gây phiền hà")
    )[0]
    assert _codes(tenant_session, DialogueIssue, issue.id) == ["DD-7"]
    page = text_of(pages.get(base))
    assert "Cán bộ gây phiền hà" in page and "DD-7" in page
    pages.post(f"{base}/issues/{issue.id}/tags", {"tags": []})
    assert _codes(tenant_session, DialogueIssue, issue.id) == []


def _tags_urls(register, tenant_session) -> tuple[str, ...]:
    with tenant_session("alpha") as session:
        activity = session.get(SupervisionActivity, register["x"].activity)
        comment_id = activity.comments[0].id
    x = register["x"]
    issue_id = _all(
        tenant_session, select(DialogueIssue.id).where(DialogueIssue.dialogue_id == x.dialogue)
    )[0]
    return (
        f"{PREFIX}/activities/{x.activity}/comments/{comment_id}/tags",
        f"{PREFIX}/recommendations/{x.recommendation}/tags",
        f"{PREFIX}/dialogues/{x.dialogue}/issues/{issue_id}/tags",
    )


def test_a_reader_sees_tags_but_gets_no_tags_page(pages, register, tenant_session, principal_of):
    x = register["x"]
    with tenant_session("alpha") as session:
        set_recommendation_tags(session, principal_of("alpha", "admin"), x.recommendation, ["DD-7"])
        session.commit()
    pages.login("alpha", "x-reader")
    for url in _tags_urls(register, tenant_session):
        assert pages.get(url).status_code == 403, url
    page = text_of(pages.get(f"{PREFIX}/recommendations/{x.recommendation}"))
    assert "DD-7" in page and "Sửa phân loại" not in page


def test_another_commune_reaches_no_tags_page(pages, register, tenant_session):
    pages.login("alpha", "y-admin")
    for url in _tags_urls(register, tenant_session):
        assert pages.get(url).status_code == 404, url
        assert pages.post(url, {"tags": ["CT-1"]}).status_code == 404, url
    assert _codes(tenant_session, Recommendation, register["x"].recommendation) == []
