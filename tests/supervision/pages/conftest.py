"""Fixtures of the supervision pages: CSRF on, the tenants' buckets, a small register each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from giamsat.core import clock
from giamsat.supervision import operations


@pytest.fixture()
def app(app):
    # Page tests run with CSRF protection exactly as in production.
    app.config.update(WTF_CSRF_ENABLED=True)
    return app


@dataclass
class Register:
    """Ids of one commune's supervision records."""

    person: int
    assignment: int
    plan: int
    activity: int
    recommendation: int
    dialogue: int
    commitment: int


def _build(session, principal, unit_id: int, org_id: int, suffix: str) -> Register:
    today = clock.today()
    person = operations.create_person(
        session,
        principal,
        unit_id=unit_id,
        full_name=f"Nguyễn Văn {suffix}",
        birth_year=1970,
        position="Bí thư Đảng ủy",
        tier="head",
        workplace_agency=f"Đảng ủy {suffix}",
        management_level="provincial_standing_committee",
        is_party_member=True,
    )
    assignment = operations.assign_person(
        session,
        principal,
        person_id=person.id,
        organization_id=org_id,
        place="workplace",
        valid_from=today - dt.timedelta(days=90),
    )
    plan = operations.create_plan(
        session,
        principal,
        unit_id=unit_id,
        organization_id=org_id,
        year=today.year,
        title=f"Kế hoạch giám sát {suffix}",
    )
    activity = operations.create_activity(
        session,
        principal,
        unit_id=unit_id,
        organization_id=org_id,
        kind="thematic",
        title=f"Giám sát chuyên đề {suffix}",
        starts_on=today - dt.timedelta(days=70),
        plan_id=plan.id,
        participants_count=12,
        person_ids=[person.id],
    )
    operations.add_comment(
        session,
        principal,
        activity.id,
        person_id=person.id,
        content=f"Cần gương mẫu hơn ở khu dân cư {suffix}",
    )
    recommendation = operations.issue_recommendation(
        session,
        principal,
        unit_id=unit_id,
        organization_id=org_id,
        addressee_kind="party_committee",
        addressee_name=f"Đảng ủy {suffix}",
        content=f"Đề nghị kiểm điểm {suffix}",
        expected_answer="explain",
        issued_on=today - dt.timedelta(days=60),
        activity_id=activity.id,
        person_id=person.id,
    )
    dialogue = operations.create_dialogue(
        session,
        principal,
        unit_id=unit_id,
        organization_id=org_id,
        title=f"Đối thoại về đất đai {suffix}",
        held_on=today - dt.timedelta(days=30),
        status="held",
        participants_count=80,
    )
    operations.add_dialogue_issue(session, principal, dialogue.id, content="Cấp sổ đỏ chậm")
    commitment = operations.add_commitment(
        session, principal, dialogue.id, content="Cấp xong sổ trong quý", responsible="UBND"
    )
    return Register(
        person.id,
        assignment.id,
        plan.id,
        activity.id,
        recommendation.id,
        dialogue.id,
        commitment.id,
    )


@pytest.fixture()
def register(tenant_session, principal_of, world):
    """`register["x"]`, `register["y"]`: records of alpha's communes X and Y;
    `register["beta"]`: commune X of beta."""
    built = {}
    for key, slug, unit in (
        ("x", "alpha", "commune_x"),
        ("y", "alpha", "commune_y"),
        ("beta", "beta", "commune_x"),
    ):
        tenant = getattr(world, slug)
        principal = principal_of(slug, "admin")
        with tenant_session(slug) as session:
            built[key] = _build(
                session, principal, getattr(tenant, unit), tenant.org_mttq, f"{key.upper()}"
            )
            session.commit()
    return built


@pytest.fixture()
def leader(tenant_session, world):
    """A Lãnh đạo (leader) of alpha's commune X, "alpha-x-leader", who may approve plans."""
    from giamsat.accounts.models import RoleAssignment, User
    from giamsat.core.passwords import hash_password
    from giamsat.identity import Role

    with tenant_session("alpha") as session:
        user = User(
            username="alpha-x-leader",
            full_name="X Leader",
            password_hash=hash_password(world.password),
            locale="vi",
        )
        session.add(user)
        session.flush()
        session.add(
            RoleAssignment(user_id=user.id, role=Role.leader, unit_id=world.alpha.commune_x)
        )
        session.commit()
    return "x-leader"
