"""What a voter-meeting issue adds to the page of the case opened from it (CASE_PAGE_PANELS):
the session it was raised at, linking back to it."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup
from sqlalchemy import select

from giamsat.http.pages import tenant_session
from giamsat.http.session import current_principal
from giamsat.supervision.channels.labels import MEETING_KIND_LABELS
from giamsat.supervision.channels.models import CitizenIssue
from giamsat.units.queries import scoped


def case_panel(case) -> Markup | None:
    """The issue the case was opened from, if any the viewer may see; None otherwise."""
    issue = tenant_session().scalar(
        scoped(
            select(CitizenIssue).where(CitizenIssue.case_id == case.id),
            CitizenIssue.unit_id,
            current_principal(),
        )
    )
    if issue is None:
        return None
    return Markup(
        render_template(
            "channels/_case_panel.html",
            issue=issue,
            meeting=issue.meeting,
            kind_label=MEETING_KIND_LABELS[issue.meeting.kind],
        )
    )
