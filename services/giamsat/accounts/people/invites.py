"""One-time sign-in links by email, sent by a job through the outbox.

The link's token is made by the job itself, right before sending, and only its hash is stored:
no secret travels through the outbox or Redis. The email carries a link, never a password. A
retried job makes a new link, which replaces the older one."""

from __future__ import annotations

from sqlalchemy.orm import Session

from giamsat.accounts.models import User
from giamsat.accounts.people.credentials import SIGNIN_LINK_HOURS, issue_signin_token
from giamsat.core import audit, mailer
from giamsat.identity import SystemActor
from giamsat.jobs.decorators import tenant_job
from giamsat.jobs.outbox import record_job

JOB = "giamsat.accounts.people.invites.send_signin_link"


def record_invite(session: Session, user: User) -> None:
    """Send `user` a sign-in link after this transaction commits."""
    record_job(session, JOB, user_id=user.id, dedupe_key=f"signin-link:{user.id}")


def compose(tenant_name: str, user: User, link: str) -> tuple[str, str]:
    subject = f"Tài khoản của bạn trên hệ thống Giám sát MTTQ — {tenant_name}"
    body = (
        f"Kính gửi {user.full_name},\n\n"
        f"Quản trị viên đã tạo cho bạn tài khoản “{user.username}” trên hệ thống Giám sát "
        f"MTTQ của {tenant_name}.\n\n"
        f"Hãy mở liên kết sau để đăng nhập lần đầu và tự đặt mật khẩu của mình:\n{link}\n\n"
        f"Liên kết chỉ dùng được một lần, trong {SIGNIN_LINK_HOURS} giờ. Nếu bạn không chờ thư "
        "này, hãy bỏ qua và báo cho quản trị viên.\n"
    )
    return subject, body


@tenant_job(queue="notifications")
def send_signin_link(session: Session, tenant, *, user_id: int) -> str:
    from giamsat.jobs.runtime import current_runtime

    settings = current_runtime().settings
    user = session.get(User, user_id)
    if user is None or not user.is_active or not user.email:
        return "skipped"
    base = mailer.public_base_url(settings)
    if not base:
        # A sign-in link must open from the person's own device: without the public address
        # there is nothing to send (the admin sees the warning on every page meanwhile).
        return "no_public_address"
    token = issue_signin_token(user)
    link = f"{base}/t/{tenant.slug}/signin/{token}"
    subject, body = compose(tenant.name, user, link)
    config = mailer.MailConfig.from_settings(settings)
    domain = config.mail_from.rpartition("@")[2] or "giamsat.local"
    message = mailer.build_message(
        config,
        to=user.email,
        subject=subject,
        body=body,
        message_id=f"<signin.{user.id}.{token[:12]}@{domain}>",
    )
    session.flush()
    mailer.send(config, message)  # MailError: the transaction (new token) rolls back, RQ retries
    audit.record(
        session,
        SystemActor(),
        action="send_signin_link",
        object_type="user",
        object_id=user.id,
    )
    return "sent"
