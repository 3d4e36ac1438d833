"""Fixtures shared by every cases test: the seeded catalogue, principals and a case factory."""
from __future__ import annotations

import base64
import datetime as dt

import pytest

from giamsat.accounts.models import RoleAssignment, User
from giamsat.identity import Role
from giamsat.identity import Principal
from giamsat.cases import operations
from giamsat.cases.catalogue import provision_tenant
from giamsat.cases.models import Case, CaseStatus, RecipientKind, ResponseOutcome
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
def catalogue(tenant_session, world):
    """Seeds the classification catalogue into both world tenants (rolled back after the test)."""
    for slug in ("alpha", "beta"):
        with tenant_session(slug) as session:
            provision_tenant(session)
            session.commit()
    return world


@pytest.fixture()
def principal_of(tenant_session, world):
    """`principal_of("alpha", "x-staff")` — the Principal of a fixture user."""

    def make(slug: str, who: str) -> Principal:
        users = getattr(world, slug).users
        with tenant_session(slug) as session:
            return Principal.of(session.get(User, users[who]))

    return make


@pytest.fixture()
def add_user(tenant_session, world):
    """`add_user("alpha", "x-leader", Role.leader, unit_id)` — a user with one more role; returns
    its id and registers it in `world.<slug>.users` for `principal_of`/`api_token`."""
    from giamsat.core.passwords import hash_password

    created = []

    def make(slug: str, who: str, role: Role, unit_id: int) -> int:
        tw = getattr(world, slug)
        with tenant_session(slug) as session:
            user = User(username=f"{slug}-{who}", full_name=who.title(),
                        password_hash=hash_password(world.password), locale="vi")
            session.add(user)
            session.flush()
            session.add(RoleAssignment(user_id=user.id, role=role, unit_id=unit_id))
            session.commit()
            tw.users[who] = user.id
            created.append((tw, who))
            return user.id

    yield make
    for tw, who in created:  # the rows are rolled back; forget their ids too
        tw.users.pop(who, None)


#: Master key of the cases tests (32 bytes, base64) unless a test folder configures its own.
TEST_MASTER_KEYS = "test:" + base64.b64encode(bytes(range(32))).decode()


@pytest.fixture()
def reporter_keys():
    """Master keys for reporter identities; keeps keys a nearer fixture already set."""
    from giamsat.cases import protection

    if protection._override.get() is not None:
        yield protection._override.get()
        return
    with protection.using_master_keys(TEST_MASTER_KEYS) as keyring:
        yield keyring


@pytest.fixture()
def make_case(tenant_session, world, catalogue, principal_of, reporter_keys):
    """`make_case(slug="alpha", who="x-staff", unit="commune_x", status="received", **fields)`.

    Records a case through `operations.receive_case` (committed inside the test transaction),
    then walks the workflow up to `status`. Returns the Case (detached, attributes loaded)."""

    def make(slug: str = "alpha", who: str = "x-staff", unit: str | int = "commune_x",
             status: CaseStatus | str = CaseStatus.received, **fields) -> Case:
        tw = getattr(world, slug)
        principal = principal_of(slug, who)
        values = {"unit_id": unit if isinstance(unit, int) else getattr(tw, unit),
                  "received_on": dt.date.today(), "channel": "in_person", "kind": "petition",
                  "title": "Phản ánh về cán bộ xã", "content": "Nội dung phản ánh thử nghiệm.",
                  "concerned": "", "tag_codes": ("CV",)}
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
        operations.forward_case(session, principal, case.id,
                                recipient_kind=RecipientKind.party_committee,
                                recipient_name="Đảng ủy xã", forwarded_on=case.received_on)
    elif action == "handle":
        operations.handle_case(session, principal, case.id, note="Đã hòa giải tại thôn.")
    elif action == "archive":
        operations.archive_case(session, principal, case.id,
                                reason="Nặc danh, không có bằng chứng cụ thể.")
    elif action == "respond":
        operations.record_response(session, principal, case.id,
                                   outcome=ResponseOutcome.accepted, text="Đã tiếp thu.",
                                   responded_on=case.forwarded_on)
    elif action == "close":
        operations.close_case(session, principal, case.id)
    elif action == "escalate":
        operations.escalate_case(session, principal, case.id, reason="Vượt thẩm quyền cấp xã.")


@pytest.fixture()
def schema_of():
    return schema_for
