"""The handling workflow: every legal transition, every refused one, and the history it leaves."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from giamsat.cases import operations, workflow
from giamsat.cases.models import Case, CaseEvent, CaseStatus, ResponseOutcome
from giamsat.cases.queries import case_history
from giamsat.core import clock
from giamsat.core.audit import AuditEntry
from giamsat.core.errors import Conflict, Forbidden, ValidationFailed

S = CaseStatus


def _do(session, principal, case_id, action):
    """Run `action` with valid arguments."""
    args = {
        "verify": lambda: operations.start_verification(session, principal, case_id),
        "forward": lambda: operations.forward_case(
            session,
            principal,
            case_id,
            recipient_kind="inspection_committee",
            recipient_name="Ủy ban Kiểm tra Đảng ủy xã",
        ),
        "handle": lambda: operations.handle_case(
            session, principal, case_id, note="Đã hòa giải xong tại thôn."
        ),
        "archive": lambda: operations.archive_case(
            session, principal, case_id, reason="Thư nặc danh, không có bằng chứng cụ thể."
        ),
        "respond": lambda: operations.record_response(
            session, principal, case_id, outcome="explained", text="Đã giải trình."
        ),
        "extend": lambda: operations.extend_deadline(
            session, principal, case_id, reason="Công văn gia hạn số 5 của cơ quan nhận."
        ),
        "close": lambda: operations.close_case(session, principal, case_id),
        "reopen": lambda: operations.reopen_case(
            session, principal, case_id, reason="Có thêm chứng cứ mới."
        ),
        "escalate": lambda: operations.escalate_case(
            session, principal, case_id, reason="Vượt thẩm quyền cấp xã."
        ),
        "assign": lambda: operations.assign_case(
            session, principal, case_id, unit_id=0, reason="Giao xã xác minh."
        ),
    }
    return args[action]()


LEGAL = [
    (status, action)
    for status in S
    for action in workflow.allowed_actions(status)
    if action != "assign"
]
ILLEGAL = [
    (status, action)
    for status in S
    for action in workflow.ACTIONS
    if action not in workflow.allowed_actions(status)
]


@pytest.mark.parametrize(("status", "action"), LEGAL, ids=lambda v: getattr(v, "value", v))
def test_every_legal_transition_moves_and_leaves_history(
    status, action, make_case, tenant_session, principal_of
):
    case = make_case(status=status)
    staff = principal_of("alpha", "x-staff")
    with tenant_session("alpha") as session:
        _do(session, staff, case.id, action)
        session.flush()
        moved = session.get(Case, case.id)
        assert moved.status == workflow.TRANSITIONS[action].target
        last = case_history(session, moved)[-1]
        assert (last.action, last.from_status, last.to_status) == (
            action,
            status.value,
            moved.status.value,
        )
        assert last.actor_id == staff.user_id and last.actor_label == "alpha-x-staff"
        assert (
            session.scalar(
                select(AuditEntry).where(
                    AuditEntry.object_type == "case",
                    AuditEntry.object_id == str(case.id),
                    AuditEntry.action == action,
                )
            )
            is not None
        )


@pytest.mark.parametrize(("status", "action"), ILLEGAL, ids=lambda v: getattr(v, "value", v))
def test_every_illegal_transition_is_refused_with_the_reason(
    status, action, make_case, tenant_session, principal_of
):
    case = make_case(status=status)
    with tenant_session("alpha") as session:
        events = len(case_history(session, case))
        with pytest.raises(Conflict) as refused:
            _do(session, principal_of("alpha", "admin"), case.id, action)
        assert workflow.STATUS_LABELS[status] in refused.value.message
        assert refused.value.message.startswith("Không thể ")
        session.rollback()
        assert session.get(Case, case.id).status == status
        assert len(case_history(session, case)) == events


def test_full_walk_records_who_when_from_to_and_why(make_case, tenant_session, principal_of):
    case = make_case(status="closed")
    with tenant_session("alpha") as session:
        operations.reopen_case(
            session,
            principal_of("alpha", "x-admin"),
            case.id,
            reason="Người dân gửi thêm chứng cứ.",
        )
        history = [(e.action, e.from_status, e.to_status) for e in case_history(session, case)]
        assert history == [
            ("receive", None, "received"),
            ("verify", "received", "verifying"),
            ("forward", "verifying", "awaiting_response"),
            ("respond", "awaiting_response", "responded"),
            ("close", "responded", "closed"),
            ("reopen", "closed", "verifying"),
        ]
        reopen = case_history(session, case)[-1]
        assert reopen.reason == "Người dân gửi thêm chứng cứ."
        assert reopen.actor_label == "alpha-x-admin" and reopen.at is not None
        assert session.get(Case, case.id).closed_at is None


def test_history_is_append_only_in_the_database(make_case, tenant_session):
    case = make_case(status="verifying")
    with tenant_session("alpha") as session:
        event_id = case_history(session, case)[0].id
        for statement in (
            "UPDATE case_events SET reason = 'sửa' WHERE id = :id",
            "DELETE FROM case_events WHERE id = :id",
        ):
            with pytest.raises(DBAPIError), session.begin_nested():
                session.execute(text(statement), {"id": event_id})
        assert session.get(CaseEvent, event_id).reason is None


@pytest.mark.parametrize(
    ("action", "kwargs", "field"),
    [
        ("archive_case", {"reason": "  "}, "reason"),
        ("reopen_case", {"reason": "x"}, "reason"),
        ("handle_case", {"note": ""}, "note"),
    ],
)
def test_reasons_are_required(action, kwargs, field, make_case, tenant_session, principal_of):
    status = "closed" if action == "reopen_case" else "verifying"
    case = make_case(status=status)
    with tenant_session("alpha") as session:
        with pytest.raises(ValidationFailed) as refused:
            getattr(operations, action)(
                session, principal_of("alpha", "x-staff"), case.id, **kwargs
            )
        assert field in refused.value.errors
        assert session.get(Case, case.id).status == CaseStatus(status)


def test_forward_and_respond_validate_their_fields(make_case, tenant_session, principal_of):
    case = make_case(status="verifying", received_on=clock.today() - dt.timedelta(days=3))
    staff = principal_of("alpha", "x-staff")
    with tenant_session("alpha") as session:
        with pytest.raises(ValidationFailed) as refused:
            operations.forward_case(
                session,
                staff,
                case.id,
                recipient_kind="the-press",
                recipient_name=" ",
                forwarded_on=case.received_on - dt.timedelta(days=1),
            )
        assert set(refused.value.errors) == {"recipient_kind", "recipient_name", "forwarded_on"}
        operations.forward_case(
            session, staff, case.id, recipient_kind="authority", recipient_name="UBND xã"
        )
        with pytest.raises(ValidationFailed) as refused:
            operations.record_response(
                session,
                staff,
                case.id,
                outcome="maybe",
                text="",
                responded_on=clock.today() + dt.timedelta(days=1),
            )
        assert set(refused.value.errors) == {"outcome", "text", "responded_on"}
        operations.record_response(
            session, staff, case.id, outcome=ResponseOutcome.rejected, text="Không tiếp thu vì…"
        )
        assert session.get(Case, case.id).response_outcome == ResponseOutcome.rejected


def test_readonly_may_not_handle(make_case, tenant_session, principal_of):
    case = make_case()
    with tenant_session("alpha") as session:
        with pytest.raises(Forbidden):
            operations.start_verification(session, principal_of("alpha", "x-reader"), case.id)
        assert session.get(Case, case.id).status == S.received
