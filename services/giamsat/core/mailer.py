"""Sending one plain-text email over SMTP (smtplib); knows nothing of tenants or users."""

from __future__ import annotations

import email.policy
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate

from giamsat.core import public_address


class MailError(Exception):
    """The SMTP server could not be reached or refused the message; the caller retries."""


@dataclass(frozen=True)
class MailConfig:
    host: str = "127.0.0.1"
    port: int = 25
    username: str = ""
    password: str = field(default="", repr=False)
    #: STARTTLS after connecting (port 587 servers); certificates are verified.
    use_tls: bool = False
    mail_from: str = "giamsat@localhost"
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings) -> MailConfig:
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            use_tls=settings.smtp_use_tls,
            mail_from=settings.mail_from,
        )


def public_base_url(settings) -> str:
    """Absolute links in emails start here (no trailing slash); "" while the public address is
    unset or unusable (`core.public_address`): a mail then carries no link rather than one
    to 127.0.0.1."""
    return public_address.base_url(settings) or ""


#: CRLF, and headers folded only past 998 characters: Python's folding of long Vietnamese subjects
#: splits encoded words where readers then drop the spaces ("Báo cáo" → "Báocáo").
_POLICY = email.policy.SMTP.clone(max_line_length=998)


def build_message(
    config: MailConfig, *, to: str, subject: str, body: str, message_id: str
) -> EmailMessage:
    message = EmailMessage(policy=_POLICY)
    message["From"] = config.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id
    # Tell auto-responders and mailing-list software this is automatic mail.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body, subtype="plain", charset="utf-8")
    return message


def send(config: MailConfig, message: EmailMessage) -> None:
    """Hand the message to the SMTP server; MailError on any refusal or network failure."""
    try:
        with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
            if config.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if config.username:
                smtp.login(config.username, config.password)
            refused = smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(f"SMTP {config.host}:{config.port}: {_describe(error)}") from error
    if refused:
        raise MailError(f"SMTP {config.host}:{config.port}: {len(refused)} recipient(s) refused")


def _describe(error: BaseException) -> str:
    """The server's answer without the addresses (failed jobs are listed to operators)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in error.recipients.values()})
        return f"recipient refused ({', '.join(map(str, codes))})"
    if isinstance(error, smtplib.SMTPResponseException):
        answer = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        return f"{type(error).__name__} {error.smtp_code} {answer}"
    return f"{type(error).__name__}: {error}"
