"""TW4 tags on findings (issue 19 point 2): comments, recommendations and dialogue issues carry
tags from the cases' classification catalogue, checked the same way, scoped like their record."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from giamsat.cases.models import ClassificationCategory
from giamsat.supervision.models import (
    DialogueIssue,
    Recommendation,
    SupervisionComment,
    comment_tags,
    dialogue_issue_tags,
    recommendation_tags,
)
from tests.plugins.api import field_errors


@pytest.fixture(autouse=True)
def _catalogue(catalogue):
    """Every test here tags: both tenants get the seeded catalogue."""


def _activity(caller, world, slug="alpha", unit="commune_x"):
    tw = getattr(world, slug)
    body = {
        "unit_id": getattr(tw, unit),
        "organization_id": tw.org_mttq,
        "kind": "thematic",
        "title": "Giám sát việc nêu gương",
        "starts_on": "2026-04-02",
    }
    response = caller.post("supervision/activities", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _dialogue(caller, world, slug="alpha"):
    tw = getattr(world, slug)
    body = {
        "unit_id": tw.commune_x,
        "organization_id": tw.org_mttq,
        "title": "Đối thoại về đất đai",
        "held_on": "2026-03-10",
        "status": "held",
    }
    response = caller.post("supervision/dialogues", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _recommendation(caller, world, slug="alpha", **fields):
    tw = getattr(world, slug)
    body = {
        "unit_id": tw.commune_x,
        "organization_id": tw.org_mttq,
        "addressee_kind": "party_committee",
        "addressee_name": "Đảng ủy xã Đông",
        "content": "Đề nghị chấn chỉnh việc sử dụng xe công.",
        "expected_answer": "explain",
        **fields,
    }
    return caller.post("supervision/recommendations", json=body)


@pytest.fixture()
def count(tenant_session):
    def rows(table, slug: str = "alpha") -> int:
        with tenant_session(slug) as session:
            return session.scalar(select(func.count()).select_from(table))

    return rows


def test_a_comment_is_tagged_when_given_and_retagged_later(world, as_user, audit_count):
    staff = as_user("alpha", "x-staff")
    activity = _activity(staff, world)
    url = f"supervision/activities/{activity['id']}/comments"
    created = staff.post(url, json={"content": "Còn nói không đi đôi với làm.", "tags": ["DD-7"]})
    assert created.status_code == 201, created.get_json()
    comment = created.get_json()
    assert comment["tags"] == ["DD-7"]
    shown = staff.get(f"supervision/activities/{activity['id']}").get_json()
    assert shown["comments"][0]["tags"] == ["DD-7"]
    assert staff.get(url).get_json()[0]["tags"] == ["DD-7"]

    retagged = staff.put(f"{url}/{comment['id']}/tags", json={"tags": ["CT-1", "DD-7", "CT-1"]})
    assert retagged.status_code == 200, retagged.get_json()
    assert sorted(retagged.get_json()["tags"]) == ["CT-1", "DD-7"]  # duplicates dropped
    assert audit_count("alpha", object_type="supervision_comments", action="tag") == 1
    assert staff.put(f"{url}/{comment['id']}/tags", json={"tags": []}).get_json()["tags"] == []


def test_a_recommendation_is_tagged_when_issued_and_retagged_later(world, as_user):
    staff = as_user("alpha", "x-staff")
    created = _recommendation(staff, world, tags=["DB-1"])
    assert created.status_code == 201, created.get_json()
    rec = created.get_json()
    assert rec["tags"] == ["DB-1"]
    url = f"supervision/recommendations/{rec['id']}"
    assert staff.get(url).get_json()["tags"] == ["DB-1"]
    assert staff.get("supervision/recommendations").get_json()[0]["tags"] == ["DB-1"]
    retagged = staff.put(url + "/tags", json={"tags": ["DD-7"]})
    assert retagged.status_code == 200 and retagged.get_json()["tags"] == ["DD-7"]
    untagged = _recommendation(staff, world).get_json()
    assert untagged["tags"] == []
    listed = staff.get("supervision/recommendations", query_string={"tag": "DD-7"})
    assert [r["id"] for r in listed.get_json()] == [rec["id"]]
    assert staff.get("supervision/recommendations", query_string={"tag": "DB-1"}).get_json() == []


def test_a_dialogue_issue_is_tagged_when_raised_and_retagged_later(world, as_user):
    staff = as_user("alpha", "x-staff")
    dialogue = _dialogue(staff, world)
    url = f"supervision/dialogues/{dialogue['id']}/issues"
    created = staff.post(url, json={"content": "Cán bộ địa chính gây phiền hà.", "tags": ["DD-7"]})
    assert created.status_code == 201, created.get_json()
    issue = created.get_json()
    assert issue["tags"] == ["DD-7"]
    shown = staff.get(f"supervision/dialogues/{dialogue['id']}").get_json()
    assert shown["issues"][0]["tags"] == ["DD-7"]
    retagged = staff.put(f"{url}/{issue['id']}/tags", json={"tags": ["CT-1"]})
    assert retagged.status_code == 200 and retagged.get_json()["tags"] == ["CT-1"]
    # An issue reached through another dialogue's path is not found.
    other = _dialogue(staff, world)
    moved = f"supervision/dialogues/{other['id']}/issues/{issue['id']}/tags"
    assert staff.put(moved, json={"tags": []}).status_code == 404


def test_unknown_or_inactive_tags_are_422_and_nothing_is_saved(
    world, as_user, tenant_session, count
):
    with tenant_session("alpha") as session:
        session.execute(
            update(ClassificationCategory)
            .where(ClassificationCategory.code == "CT-6")
            .values(is_active=False)
        )
        session.commit()
    staff = as_user("alpha", "x-staff")
    activity = _activity(staff, world)
    dialogue = _dialogue(staff, world)
    comments = f"supervision/activities/{activity['id']}/comments"
    issues = f"supervision/dialogues/{dialogue['id']}/issues"
    for bad in (["ZZ-9"], ["DD-7", "CT-6"]):
        for response in (
            staff.post(comments, json={"content": "Góp ý", "tags": bad}),
            staff.post(issues, json={"content": "Vấn đề", "tags": bad}),
            _recommendation(staff, world, tags=bad),
        ):
            assert response.status_code == 422, bad
            assert bad[-1] in " ".join(field_errors(response)["tags"])
    assert staff.post(comments, json={"content": "Góp ý", "tags": [7]}).status_code == 422
    assert count(SupervisionComment) == count(DialogueIssue) == count(Recommendation) == 0

    comment = staff.post(comments, json={"content": "Góp ý", "tags": ["DD-7"]}).get_json()
    refused = staff.put(f"{comments}/{comment['id']}/tags", json={"tags": ["DD-7", "NOPE"]})
    assert refused.status_code == 422 and "NOPE" in field_errors(refused)["tags"][0]
    assert staff.get(comments).get_json()[0]["tags"] == ["DD-7"]
    assert count(comment_tags) == 1
    assert count(recommendation_tags) == count(dialogue_issue_tags) == 0


def test_tags_are_scoped_to_the_unit_and_the_tenant(world, as_user):
    staff = as_user("alpha", "x-staff")
    activity = _activity(staff, world)
    comments = f"supervision/activities/{activity['id']}/comments"
    comment = staff.post(comments, json={"content": "Góp ý", "tags": ["DD-7"]}).get_json()
    rec = _recommendation(staff, world, tags=["DD-7"]).get_json()
    dialogue = _dialogue(staff, world)
    issues = f"supervision/dialogues/{dialogue['id']}/issues"
    issue = staff.post(issues, json={"content": "Vấn đề", "tags": ["DD-7"]}).get_json()
    urls = (
        f"{comments}/{comment['id']}/tags",
        f"supervision/recommendations/{rec['id']}/tags",
        f"{issues}/{issue['id']}/tags",
    )
    # Commune Y never sees commune X's findings, nor tags them; a reader of X only reads.
    sibling = as_user("alpha", "y-admin")
    for url in urls:
        assert sibling.put(url, json={"tags": ["CT-1"]}).status_code == 404
    assert sibling.get(f"supervision/recommendations/{rec['id']}").status_code == 404
    assert sibling.get("supervision/recommendations").get_json() == []
    reader = as_user("alpha", "x-reader")
    for url in urls:
        assert reader.put(url, json={"tags": ["CT-1"]}).status_code == 403
    # Province B's admin does not reach province A's rows, whatever the id.
    other_province = as_user("beta", "admin")
    for url in urls:
        assert other_province.put(url, json={"tags": ["CT-1"]}).status_code == 404
    assert staff.get(f"supervision/recommendations/{rec['id']}").get_json()["tags"] == ["DD-7"]
    assert staff.get(comments).get_json()[0]["tags"] == ["DD-7"]


def test_each_tenant_tags_from_its_own_catalogue(world, as_user, tenant_session):
    with tenant_session("beta") as session:
        session.execute(
            update(ClassificationCategory)
            .where(ClassificationCategory.code == "DD-7")
            .values(is_active=False)
        )
        session.commit()
    beta = _recommendation(as_user("beta", "x-staff"), world, "beta", tags=["DD-7"])
    assert beta.status_code == 422
    alpha = _recommendation(as_user("alpha", "x-staff"), world, tags=["DD-7"])
    assert alpha.status_code == 201 and alpha.get_json()["tags"] == ["DD-7"]
