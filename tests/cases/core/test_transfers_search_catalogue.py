"""Escalation and assignment along the tree, search, related-case hints and the catalogue."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from giamsat.cases import operations
from giamsat.cases.catalogue import load_catalogue, provision_tenant, update_category
from giamsat.cases.models import Case, CaseStatus, Channel, ClassificationCategory
from giamsat.cases.queries import (
    case_queue_query,
    get_case,
    linked_status,
    related_cases,
)
from giamsat.core.audit import AuditEntry
from giamsat.core.errors import Conflict, Forbidden, NotFound, ValidationFailed


def test_escalation_goes_to_the_parent_only(make_case, tenant_session, principal_of, world):
    case = make_case(
        status="verifying",
        tag_codes=("DD-7", "CV"),
        kind="denunciation",
        concerned="Ông Trần Văn B",
    )
    staff, admin = principal_of("alpha", "x-staff"), principal_of("alpha", "admin")
    y_admin = principal_of("alpha", "y-admin")
    with tenant_session("alpha") as session:
        nxt = operations.escalate_case(session, staff, case.id, reason="Vượt thẩm quyền cấp xã.")
        assert nxt.unit_id == world.alpha.province and nxt.origin_case_id == case.id
        assert (nxt.channel, nxt.kind, nxt.status) == (
            Channel.forwarded,
            case.kind,
            CaseStatus.received,
        )
        assert [t.code for t in nxt.tags] == ["DD-7", "CV"] and nxt.number.startswith("1/")
        original = session.get(Case, case.id)
        assert original.status == CaseStatus.transferred and original.next_case_id == nxt.id
        # The province sees it in its own queue; the commune does not see the new case itself…
        queue = session.scalars(case_queue_query(admin, unit_id=world.alpha.province)).all()
        assert nxt.id in [c.id for c in queue]
        with pytest.raises(NotFound):
            get_case(session, nxt.id, staff)
        # …but follows its status through the link; the sibling commune sees neither.
        link = linked_status(session, original)
        assert link["status"] == "received" and link["unit_name"] == "Tỉnh Alpha"
        for cid in (case.id, nxt.id):
            with pytest.raises(NotFound):
                get_case(session, cid, y_admin)
        operations.start_verification(session, admin, nxt.id)
        operations.forward_case(
            session, admin, nxt.id, recipient_kind="party_committee", recipient_name="Tỉnh ủy"
        )
        assert linked_status(session, original)["status"] == "awaiting_response"
        assert linked_status(session, original)["due_on"] is not None


def test_province_cannot_escalate_further(make_case, tenant_session, principal_of):
    case = make_case(who="admin", unit="province")
    with tenant_session("alpha") as session:
        with pytest.raises(Conflict) as refused:
            operations.escalate_case(
                session, principal_of("alpha", "admin"), case.id, reason="Không có cấp trên."
            )
        assert "không có cấp trên" in refused.value.message


def test_assignment_goes_to_a_direct_child_front_unit(
    make_case, tenant_session, principal_of, world
):
    case = make_case(who="admin", unit="province")
    admin, x_staff = principal_of("alpha", "admin"), principal_of("alpha", "x-staff")
    y_admin = principal_of("alpha", "y-admin")
    with tenant_session("alpha") as session:
        for bad in (world.alpha.area_x, world.alpha.province, world.beta.commune_x + 999):
            with pytest.raises(ValidationFailed) as refused:
                operations.assign_case(
                    session, admin, case.id, unit_id=bad, reason="Giao xã xác minh."
                )
            assert "unit_id" in refused.value.errors
        nxt = operations.assign_case(
            session, admin, case.id, unit_id=world.alpha.commune_x, reason="Giao xã xác minh."
        )
        assert get_case(session, nxt.id, x_staff).unit_id == world.alpha.commune_x
        with pytest.raises(NotFound):
            get_case(session, nxt.id, y_admin)
        assert get_case(session, case.id, admin).status == CaseStatus.transferred


def test_the_identity_is_not_copied_on_transfer(make_case, tenant_session, principal_of):
    from giamsat.cases import protection

    case = make_case(
        reporter_mode="confidential",
        reporter={"name": "Lê Thị Mai", "contact": "0912000111", "address": "x"},
    )
    with tenant_session("alpha") as session:
        nxt = operations.escalate_case(
            session, principal_of("alpha", "x-staff"), case.id, reason="Vượt thẩm quyền cấp xã."
        )
        assert protection.has_identity(session, case.id)
        assert not protection.has_identity(session, nxt.id)


@pytest.mark.parametrize(
    "query", ["nguyen van an", "NGUYEN", "Nguyễn Văn An", "văn an", "ong nguyen van an"]
)
def test_search_ignores_accents_and_case(query, make_case, tenant_session, principal_of):
    hit = make_case(title="Phản ánh ông Nguyễn Văn An", concerned="Nguyễn Văn An, trưởng thôn")
    make_case(title="Đường làng hư hỏng", content="Đường bê tông xuống cấp.")
    with tenant_session("alpha") as session:
        found = session.scalars(case_queue_query(principal_of("alpha", "x-staff"), q=query)).all()
    assert [c.id for c in found] == [hit.id]


def test_search_treats_wildcards_literally(make_case, tenant_session, principal_of):
    make_case(title="Đường làng hư hỏng")
    with tenant_session("alpha") as session:
        assert (
            session.scalars(case_queue_query(principal_of("alpha", "x-staff"), q="%_")).all() == []
        )


def test_queue_filters(make_case, tenant_session, principal_of, world):
    a = make_case(
        kind="denunciation",
        channel="phone",
        tag_codes=("DD-7",),
        organization_id=world.alpha.org_mttq,
    )
    b = make_case(status="verifying")
    staff = principal_of("alpha", "x-staff")
    with tenant_session("alpha") as session:

        def ids(**kw):
            return [c.id for c in session.scalars(case_queue_query(staff, **kw))]

        assert ids(kind="denunciation") == [a.id]
        assert ids(channel="phone") == [a.id]
        assert ids(tag="DD-7") == [a.id]
        assert ids(status="verifying") == [b.id]
        assert ids(organization_id=world.alpha.org_mttq) == [a.id]
        assert ids(unit_id=world.alpha.commune_y) == []


def test_related_hints_same_person_or_similar_words(make_case, tenant_session, principal_of):
    base = make_case(
        title="Chủ tịch xã nhận tiền", content="Nhận tiền khi cấp sổ đỏ.", concerned="Nguyễn Văn An"
    )
    same_person = make_case(
        title="Sử dụng xe công",
        content="Đi việc riêng.",
        concerned="ông NGUYEN VAN AN, chủ tịch xã",
    )
    similar = make_case(title="Chủ tịch xã nhận tiền", content="Nhận tiền khi cấp sổ đỏ cho dân.")
    unrelated = make_case(title="Đèn đường hỏng", content="Thôn tối.", concerned="")
    with tenant_session("alpha") as session:
        hints = related_cases(session, session.get(Case, base.id), principal_of("alpha", "x-staff"))
        by_id = {h["case"].id: h["reason"] for h in hints}
        assert by_id[same_person.id] == "same_concerned"
        assert by_id[similar.id] == "similar_text"
        assert unrelated.id not in by_id and base.id not in by_id
        # A sibling commune's case never shows up as a hint.
        assert not related_cases(
            session, session.get(Case, base.id), principal_of("alpha", "y-admin")
        )


def test_catalogue_has_the_27_and_the_rest(catalogue, tenant_session):
    seeds = load_catalogue()
    codes = [s.code for s in seeds]
    assert len([c for c in codes if c[:3] in ("CT-", "DD-", "DB-")]) == 27
    assert {"NG", "CV", "CD", "NGOAI"} <= set(codes)
    assert {s.confidence for s in seeds} == {"CONFIRMED", "PARTIAL", "UNCONFIRMED"}
    with tenant_session("beta") as session:
        assert session.scalar(select(func.count()).select_from(ClassificationCategory)) == 31


def test_provisioning_is_idempotent_and_keeps_admin_changes(
    catalogue, tenant_session, principal_of
):
    with tenant_session("alpha") as session:
        cat = session.scalar(
            select(ClassificationCategory).where(ClassificationCategory.code == "CT-6")
        )
        update_category(
            session,
            principal_of("alpha", "admin"),
            cat.id,
            label="Nói không đi đôi với làm",
            is_active=False,
        )
        other = session.scalar(
            select(ClassificationCategory).where(ClassificationCategory.code == "CT-7")
        )
        other.label = "stale"  # not overridden: the seed refreshes it
        session.delete(
            session.scalar(
                select(ClassificationCategory).where(ClassificationCategory.code == "NGOAI")
            )
        )
        session.flush()
        assert provision_tenant(session) == 2
        assert provision_tenant(session) == 0
        session.refresh(cat)
        assert (cat.label, cat.is_active, cat.is_overridden) == (
            "Nói không đi đôi với làm",
            False,
            True,
        )
        assert session.get(ClassificationCategory, other.id).label != "stale"
        assert session.scalar(
            select(AuditEntry).where(
                AuditEntry.object_type == "case_category", AuditEntry.object_id == str(cat.id)
            )
        )


def test_only_the_tenant_admin_edits_the_catalogue(catalogue, tenant_session, principal_of):
    with tenant_session("alpha") as session:
        cat = session.scalar(
            select(ClassificationCategory).where(ClassificationCategory.code == "CV")
        )
        with pytest.raises(Forbidden):
            update_category(session, principal_of("alpha", "x-admin"), cat.id, label="Khác")


def test_unknown_or_inactive_tags_are_refused(make_case, catalogue, tenant_session, principal_of):
    with pytest.raises(ValidationFailed) as refused:
        make_case(tag_codes=("CT-1", "XX-9"))
    assert "XX-9" in refused.value.errors["tags"][0]
