"""Fixtures of the notification tests: a real SMTP server on loopback (aiosmtpd), the world's
users with email addresses, operations run inside a tenant context (so triggers record their
outbox jobs), and `drain`, which runs the recorded notification jobs through their real
decorators inside the test transaction."""

from __future__ import annotations

import asyncio
import dataclasses
import email
import email.policy
import importlib
import socket
import threading
import uuid
from contextlib import contextmanager

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from giamsat.accounts.models import User
from giamsat.core.queue import Queues, redis_connection
from giamsat.jobs.models import OutboxEntry
from giamsat.jobs.runtime import JobRuntime, install_runtime
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from tests.plugins.jobs import REDIS_URL
from tests.plugins.notifications import address_of


class Mailbox:
    """An aiosmtpd handler that keeps what it receives; it can refuse or stall on demand."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        #: RCPT answers 451 this many more times (a failing mail server).
        self.refuse = 0
        #: While set, MAIL FROM waits: the client is stuck mid-conversation.
        self.stall = threading.Event()
        self.stalled = threading.Event()
        self.host = "127.0.0.1"
        self.port = 0

    def reset(self) -> None:
        self.messages.clear()
        self.envelopes.clear()
        self.refuse = 0
        self.stall.clear()
        self.stalled.clear()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        while self.stall.is_set():
            self.stalled.set()
            await asyncio.sleep(0.05)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(
            email.message_from_bytes(
                envelope.original_content or envelope.content, policy=email.policy.default
            )
        )
        return "250 Message accepted"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    box = Mailbox()
    box.port = _free_port()
    controller = Controller(box, hostname=box.host, port=box.port)
    controller.start()
    yield box
    box.stall.clear()
    controller.stop()


@pytest.fixture(scope="session")
def settings(settings, smtp_server):
    """The suite's settings, with mail going to the loopback SMTP server of these tests."""
    return dataclasses.replace(
        settings,
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        mail_from="giamsat@mttq.example.vn",
        public_base_url="https://giamsat.example.vn",
    )


@pytest.fixture()
def mailbox(smtp_server):
    """The SMTP server of these tests, emptied before and after."""
    smtp_server.reset()
    yield smtp_server
    smtp_server.reset()


@pytest.fixture()
def emails(tenant_session, world):
    """Every world user gets an address `<slug>-<who>@example.vn` (rolled back afterwards)."""
    for slug in ("alpha", "beta"):
        tw = getattr(world, slug)
        with tenant_session(slug) as session:
            for who, user_id in tw.users.items():
                session.get(User, user_id).email = address_of(slug, who)
            session.commit()
    return address_of


@pytest.fixture()
def tenants(database, world) -> dict[str, Tenant]:
    with database.session() as shared:
        return {tw.slug: shared.get(Tenant, tw.tenant_id) for tw in (world.alpha, world.beta)}


@pytest.fixture()
def in_tenant(db, tenants):
    """`with in_tenant("alpha") as session:` — the session a request handler of that tenant
    has: domain events inside it record their jobs."""

    @contextmanager
    def enter(slug: str):
        with tenant_context(db, tenants[slug]) as scope:
            yield scope.session

    return enter


@pytest.fixture()
def job_runtime(settings, db, app):
    """The job runtime on the test transaction's database, with the app (links in emails).
    Redis is real but the relay finds nothing: the rows live in the test transaction."""
    prefix = f"n{uuid.uuid4().hex[:8]}-"
    runtime = JobRuntime(
        settings=dataclasses.replace(settings, redis_url=REDIS_URL),
        database=db,
        queues=Queues(redis_connection(REDIS_URL), prefix),
        app=app,
    )
    previous = install_runtime(runtime)
    yield runtime
    install_runtime(previous)
    runtime.queues.connection.close()


def _job(name: str):
    module, _, attr = name.rpartition(".")
    return getattr(importlib.import_module(module), attr)


@pytest.fixture()
def drain(db, job_runtime, world):
    """Run every pending job of the notifications queue (and those they record) through the
    real `@tenant_job` wrapper, like a worker would; returns [(job name, args, result)]."""

    def run(*, limit: int = 200) -> list[tuple[str, dict, object]]:
        done = []
        for _ in range(limit):
            entry = None
            for tw in (world.alpha, world.beta):
                with db.session(tw.schema) as s:  # rows of a tenant live on its connection
                    entry = s.scalars(
                        select(OutboxEntry)
                        .where(OutboxEntry.queue == "notifications", OutboxEntry.done_at.is_(None))
                        .order_by(OutboxEntry.id)
                        .limit(1)
                    ).first()
                if entry is not None:
                    break
            if entry is None:
                return done
            result = _job(entry.job_name)(
                tenant_id=entry.tenant_id, _outbox_id=entry.id, **entry.args
            )
            done.append((entry.job_name.rpartition(".")[2], dict(entry.args), result))
        raise AssertionError("jobs keep recording jobs")

    return run


@pytest.fixture()
def pending_jobs(db, world):
    """Pending outbox rows of the notifications queue (job name, args), all tenants."""

    def read() -> list[tuple[str, dict]]:
        found = []
        for tw in (world.alpha, world.beta):
            with db.session(tw.schema) as s:
                found += [
                    (e.job_name.rpartition(".")[2], dict(e.args))
                    for e in s.scalars(
                        select(OutboxEntry)
                        .where(OutboxEntry.queue == "notifications", OutboxEntry.done_at.is_(None))
                        .order_by(OutboxEntry.id)
                    )
                ]
        return found

    return read
