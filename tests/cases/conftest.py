"""The case factory of the cases tests (the catalogue, principals and reporter keys it uses
are in `tests.plugins`: the notification tests need them too)."""

from __future__ import annotations

import pytest

from giamsat.cases import operations
from giamsat.cases.models import Case, CaseStatus, RecipientKind, ResponseOutcome
from giamsat.core import clock
from giamsat.tenancy.names import schema_for

#: The steps `make_case(status=…)` walks through to reach a status.
_PATHS = {
    CaseStatus.received: (),
    CaseStatus.verifying: ("verify",),
    CaseStatus.awaiting_response: ("verify", "forward"),
    CaseStatus.handled: ("verify", "handle"),
    CaseStatus.archived: ("verify", "archive"),
    CaseStatus.responded: ("verify", "forward", "respond"),
    CaseStatus.closed: ("verify", "forward", "respond", "close"),
    CaseStatus.transferred: ("escalate",),
}


@pytest.fixture()
def make_case(tenant_session, world, catalogue, principal_of, reporter_keys):
    """`make_case(slug="alpha", who="x-staff", unit="commune_x", status="received", **fields)`.

    Records a case through `operations.receive_case` (committed inside the test transaction),
    then walks the workflow up to `status`. Returns the Case (detached, attributes loaded)."""

    def make(
        slug: str = "alpha",
        who: str = "x-staff",
        unit: str | int = "commune_x",
        status: CaseStatus | str = CaseStatus.received,
        **fields,
    ) -> Case:
        tw = getattr(world, slug)
        principal = principal_of(slug, who)
        values = {
            "unit_id": unit if isinstance(unit, int) else getattr(tw, unit),
            "received_on": clock.today(),
            "channel": "in_person",
            "kind": "petition",
            "title": "Phản ánh về cán bộ xã",
            "content": "Nội dung phản ánh thử nghiệm.",
            "concerned": "",
            "tag_codes": ("CV",),
        }
        values.update(fields)
        with tenant_session(slug) as session:
            case = operations.receive_case(session, principal, **values)
            for action in _PATHS[CaseStatus(status)]:
                _step(session, principal, case, action)
            session.commit()
            session.refresh(case)
            assert case.unit and case.tags is not None  # loaded before the session closes
            return case

    return make


def _step(session, principal, case, action):
    if action == "verify":
        operations.start_verification(session, principal, case.id)
    elif action == "forward":
        operations.forward_case(
            session,
            principal,
            case.id,
            recipient_kind=RecipientKind.party_committee,
            recipient_name="Đảng ủy xã",
            forwarded_on=case.received_on,
        )
    elif action == "handle":
        operations.handle_case(session, principal, case.id, note="Đã hòa giải tại thôn.")
    elif action == "archive":
        operations.archive_case(
            session, principal, case.id, reason="Nặc danh, không có bằng chứng cụ thể."
        )
    elif action == "respond":
        operations.record_response(
            session,
            principal,
            case.id,
            outcome=ResponseOutcome.accepted,
            text="Đã tiếp thu.",
            responded_on=case.forwarded_on,
        )
    elif action == "close":
        operations.close_case(session, principal, case.id)
    elif action == "escalate":
        operations.escalate_case(session, principal, case.id, reason="Vượt thẩm quyền cấp xã.")


@pytest.fixture()
def schema_of():
    return schema_for
