"""What a letter adds to its case's page (CASE_PAGE_PANELS): the scan's pages linking to the
letter viewer, and the OCR state; and the small JSON the page polls while OCR is still running."""

from __future__ import annotations

from flask import jsonify, render_template
from markupsafe import Markup

from giamsat.http.pages import tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.letters import queries
from giamsat.letters.labels import OCR_STATUS_LABELS
from giamsat.letters.models import OcrStatus
from giamsat.letters.views import bp
from giamsat.letters.views.viewer import _get_letter

#: OCR states the page keeps waiting on (a failed attempt is retried with backoff).
WAITING = (OcrStatus.queued, OcrStatus.failed)


def case_panel(case) -> Markup | None:
    """The latest version of the case's letter, if it came as a letter; None otherwise."""
    versions = queries.letter_versions(tenant_session(), case.id, current_principal())
    if not versions:
        return None
    letter = versions[-1]
    return Markup(
        render_template(
            "letters/_case_panel.html",
            letter=letter,
            pages=queries.letter_pages(tenant_session(), letter),
            waiting=letter.ocr_status in WAITING,
        )
    )


@bp.get("/<int:letter_id>/ocr-status")
@login_required
def ocr_status(letter_id: int):
    """The OCR state of a letter and, once read, its case's title and content as they are now
    (the case page refreshes its text from it)."""
    letter = _get_letter(letter_id)
    case = letter.case
    return jsonify(
        status=letter.ocr_status.value,
        label=str(OCR_STATUS_LABELS[letter.ocr_status]),
        finished=letter.ocr_status not in WAITING,
        case={"title": case.title, "content": case.content}
        if letter.ocr_status == OcrStatus.done
        else None,
    )
