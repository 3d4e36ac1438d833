"""Cases: escalated or assigned to my unit, forwarded to a competent body — and the privacy of
whatever a notification or email says about them."""

from __future__ import annotations

from giamsat.cases import operations
from giamsat.cases.models import RecipientKind
from giamsat.core import clock
from tests.plugins.notifications import (
    all_notifications,
    by_user,
    deliveries,
    notifications_of,
)


def _receive(session, principal, unit_id, **extra):
    values = {
        "unit_id": unit_id,
        "received_on": clock.today(),
        "channel": "in_person",
        "kind": "petition",
        "title": "Đường thôn Một hư hỏng",
        "content": "Nội dung riêng: đoạn đường trước nhà ông Bảy bị sụt lún.",
        "tag_codes": ("CV",),
    }
    values.update(extra)
    return operations.receive_case(session, principal, **values)


def test_a_case_escalated_to_my_unit_notifies_its_users_and_emails_them_once(
    world, catalogue, principal_of, in_tenant, emails, mailbox, drain, tenant_session, pending_jobs
):
    staff = principal_of("alpha", "x-staff")
    with in_tenant("alpha") as session:
        case = _receive(session, staff, world.alpha.commune_x)
        new = operations.escalate_case(session, staff, case.id, reason="Vượt thẩm quyền cấp xã.")
        session.commit()
    # Inside the request only an outbox row was written: no notification, no email yet.
    assert pending_jobs() == [
        (
            "notify",
            {
                "kind": "case_escalated_in",
                "object_id": new.id,
                "event_key": f"case:{new.id}:received",
                "actor_id": staff.user_id,
            },
        )
    ]
    assert all_notifications(tenant_session, "alpha") == [] and mailbox.messages == []

    ran = drain()
    assert [name for name, _, _ in ran] == ["notify", "send_email"]
    # The province's users hear of it; the commune that sent it up does not.
    assert by_user(all_notifications(tenant_session, "alpha"), world, "alpha") == {
        "admin": ["case_escalated_in"]
    }
    [n] = notifications_of(tenant_session, world, "alpha", "admin")
    assert (n.title, n.params["number"], n.unit_id) == (new.title, new.number, world.alpha.province)
    assert (n.link_endpoint, n.link_values) == ("cases_pages.show", {"case_id": new.id})
    [message] = mailbox.messages
    assert message["To"] == emails("alpha", "admin")
    assert message["Subject"] == (
        f"[Giám sát MTTQ] Cấp dưới chuyển lên hồ sơ {new.number}: “Đường thôn Một hư hỏng”."
    )
    body = message.get_content()
    assert f"https://giamsat.example.vn/t/alpha/cases/{new.id}" in body
    assert n.emailed_at is not None and len(deliveries(tenant_session, "alpha")) == 1


def test_a_case_assigned_to_my_unit_reaches_every_role_there_readonly_in_the_app_only(
    world, catalogue, principal_of, in_tenant, emails, mailbox, drain, tenant_session
):
    admin = principal_of("alpha", "admin")
    with in_tenant("alpha") as session:
        case = _receive(session, admin, world.alpha.province)
        new = operations.assign_case(
            session,
            admin,
            case.id,
            unit_id=world.alpha.commune_x,
            reason="Giao xã X xác minh tại địa bàn.",
        )
        session.commit()
    drain()
    assert by_user(all_notifications(tenant_session, "alpha"), world, "alpha") == {
        "x-admin": ["case_assigned_in"],
        "x-staff": ["case_assigned_in"],
        "x-reader": ["case_assigned_in"],
    }
    assert sorted(m["To"] for m in mailbox.messages) == [
        emails("alpha", "x-admin"),
        emails("alpha", "x-staff"),
    ]
    assert all(f"/cases/{new.id}" in m.get_content() for m in mailbox.messages)
    # Beta's users, whatever their roles, hear nothing of alpha.
    assert all_notifications(tenant_session, "beta") == []


def test_forwarding_tells_the_units_other_users_the_response_clock_started(
    world, catalogue, principal_of, in_tenant, emails, mailbox, drain, tenant_session
):
    staff = principal_of("alpha", "x-staff")
    with in_tenant("alpha") as session:
        case = _receive(session, staff, world.alpha.commune_x)
        operations.start_verification(session, staff, case.id)
        operations.forward_case(
            session,
            staff,
            case.id,
            recipient_kind=RecipientKind.party_committee,
            recipient_name="Đảng ủy xã X",
        )
        session.commit()
        due_on = case.due_on
    drain()
    # The one who forwarded is not told what they just did.
    assert by_user(all_notifications(tenant_session, "alpha"), world, "alpha") == {
        "x-admin": ["case_forwarded"],
        "x-reader": ["case_forwarded"],
    }
    [message] = mailbox.messages
    assert f"hạn trả lời {due_on:%d/%m/%Y}" in message["Subject"]


def test_no_reporter_identity_and_no_content_in_notifications_or_emails(
    world, catalogue, principal_of, reporter_keys, in_tenant, emails, mailbox, drain, tenant_session
):
    staff = principal_of("alpha", "x-staff")
    identity = {
        "name": "Nguyễn Thị Bí Mật",
        "contact": "0912345678",
        "address": "Số 9 ngõ Kín, thôn Một",
    }
    with in_tenant("alpha") as session:
        case = _receive(
            session, staff, world.alpha.commune_x, reporter_mode="confidential", reporter=identity
        )
        operations.start_verification(session, staff, case.id)
        operations.forward_case(
            session,
            staff,
            case.id,
            recipient_kind=RecipientKind.authority,
            recipient_name="UBND xã X",
        )
        session.commit()
    drain()
    notes = all_notifications(tenant_session, "alpha")
    assert notes and mailbox.messages
    stored = " ".join(f"{n.title} {n.params} {n.link_values}" for n in notes)
    sent = " ".join(m.as_string() + m.get_content() for m in mailbox.messages)
    for secret in (*identity.values(), "ông Bảy", "sụt lún"):
        assert secret not in stored
        assert secret not in sent
    assert case.title in sent  # the title and the link are all an email says
