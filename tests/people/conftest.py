"""Fixtures of the people-management tests: CSRF on as in production, a loopback SMTP server
for sign-in links, XLSX files built in memory, and readers of what was stored."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import io
import socket

import pytest
from aiosmtpd.controller import Controller
from openpyxl import Workbook
from sqlalchemy import func, select

from giamsat.accounts.models import User
from giamsat.accounts.people.importing import HEADERS
from giamsat.core.audit import AuditEntry


class Inbox:
    """Keeps every message the SMTP server accepts."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_inbox():
    box = Inbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.port = port
    yield box
    controller.stop()


@pytest.fixture(scope="session")
def settings(settings, smtp_inbox):
    return dataclasses.replace(
        settings,
        smtp_host="127.0.0.1",
        smtp_port=smtp_inbox.port,
        mail_from="giamsat@mttq.example.vn",
        public_base_url="https://giamsat.example.vn",
    )


@pytest.fixture()
def inbox(smtp_inbox):
    smtp_inbox.messages.clear()
    yield smtp_inbox
    smtp_inbox.messages.clear()


@pytest.fixture()
def app(app):
    app.config.update(WTF_CSRF_ENABLED=True)
    return app


@pytest.fixture()
def people_xlsx():
    """`people_xlsx([(unit, org, role, name, email, phone), …])` — an upload in the template's
    layout."""

    def make(rows, headers=HEADERS) -> bytes:
        book = Workbook()
        sheet = book.active
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return make


@pytest.fixture()
def stored_user(tenant_session):
    """`stored_user("alpha", username=…)` — the user as stored now, or None."""

    def read(slug: str, **where) -> User | None:
        with tenant_session(slug) as session:
            user = session.scalar(select(User).filter_by(**where))
            if user is not None:
                session.expunge(user)
            return user

    return read


@pytest.fixture()
def user_count(tenant_session):
    def count(slug: str = "alpha") -> int:
        with tenant_session(slug) as session:
            return session.scalar(select(func.count()).select_from(User))

    return count


@pytest.fixture()
def audit_of(tenant_session):
    """`audit_of("alpha", "user")` — [(action, object_id)] of that object type, in order."""

    def read(slug: str, object_type: str = "user") -> list[tuple[str, str]]:
        with tenant_session(slug) as session:
            rows = session.execute(
                select(AuditEntry.action, AuditEntry.object_id)
                .where(AuditEntry.object_type == object_type)
                .order_by(AuditEntry.id)
            )
            return [tuple(r) for r in rows]

    return read
