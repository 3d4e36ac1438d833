"""The plain-text emails: one notification, or a day's digest. Title, sentence and link only."""

from __future__ import annotations

import datetime as dt

from giamsat.accounts.models import User
from giamsat.notifications.email.i18n import translations_for
from giamsat.notifications.email.texts import DIGEST_SUBJECT, N_, SUBJECT, headline
from giamsat.notifications.links import absolute, link_path, notification_path
from giamsat.notifications.models import Notification

GREETING = N_("Kính gửi %(name)s,")
VIEW = N_("Xem chi tiết: %(url)s")
DIGEST_INTRO = N_("Các thông báo mới của anh/chị trong ngày %(day)s:")
FOOTER = N_(
    "Thư này do hệ thống Giám sát của Ủy ban MTTQ gửi tự động; xin đừng trả lời thư. "
    "Anh/chị có thể chọn nhận thư ngay, gộp một thư mỗi ngày hoặc không nhận thư trong "
    "mục Thông báo."
)
SETTINGS_LINK = N_("Cách nhận thông báo: %(url)s")

#: The pages helper's preferences page, when it exists in this deployment.
PREFERENCES_ENDPOINT = "notifications_pages.preferences"


def _footer(gettext, tenant_slug: str, base_url: str) -> list[str]:
    lines = ["--", gettext(FOOTER)]
    url = absolute(base_url, link_path(PREFERENCES_ENDPOINT, {}, tenant_slug))
    if url:
        lines.append(gettext(SETTINGS_LINK) % {"url": url})
    return lines


def compose_single(
    notification: Notification, user: User, *, tenant_slug: str, base_url: str
) -> tuple[str, str]:
    """(subject, body) in the user's language."""
    gettext = translations_for(user.locale).gettext
    line = headline(notification.kind, notification.title, notification.params, gettext)
    lines = [gettext(GREETING) % {"name": user.full_name}, "", line]
    url = absolute(base_url, notification_path(notification, tenant_slug))
    if url:
        lines += ["", gettext(VIEW) % {"url": url}]
    lines += ["", *_footer(gettext, tenant_slug, base_url)]
    return gettext(SUBJECT) % {"headline": line}, "\n".join(lines) + "\n"


def compose_digest(
    notifications: list[Notification], user: User, *, tenant_slug: str, base_url: str, day: dt.date
) -> tuple[str, str]:
    gettext = translations_for(user.locale).gettext
    shown_day = day.strftime("%d/%m/%Y")
    lines = [
        gettext(GREETING) % {"name": user.full_name},
        "",
        gettext(DIGEST_INTRO) % {"day": shown_day},
        "",
    ]
    for n in notifications:
        lines.append("- " + headline(n.kind, n.title, n.params, gettext))
        url = absolute(base_url, notification_path(n, tenant_slug))
        if url:
            lines.append("  " + url)
    lines += ["", *_footer(gettext, tenant_slug, base_url)]
    subject = gettext(DIGEST_SUBJECT) % {"count": len(notifications), "day": shown_day}
    return subject, "\n".join(lines) + "\n"
