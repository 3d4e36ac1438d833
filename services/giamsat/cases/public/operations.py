"""What the public form does: receive a case from a citizen, let them follow it and add to it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from giamsat.cases import operations as case_operations
from giamsat.cases.models import Case, CaseEvent, CaseKind, CaseStatus, Channel, ReporterMode
from giamsat.cases.operations import PublicActor
from giamsat.cases.public.receipts import issue_receipt
from giamsat.core import clock
from giamsat.core.errors import NotFound, ValidationFailed
from giamsat.units.models import Unit

#: Longest addition a sender may post at once (the form says so too).
MAX_NOTE_LENGTH = 5000
#: Longest chain of escalations/assignments followed to find where a case is now.
_MAX_CHAIN = 20


#: The public online form as the actor of intake (no user; see `cases.operations`).
PUBLIC = PublicActor()


def form_target(
    session: Session, unit_id: int, today: dt.date | None = None
) -> tuple[Unit, Unit | None]:
    """(receiving unit, residential area or None) for the public form of `unit_id`.

    A residential area's form (its suggestion box QR code) sends to its commune. Unknown and
    retired units — or an area whose commune is retired — are one "not found"."""
    today = today or clock.today()
    unit = session.get(Unit, unit_id)
    if unit is None or not unit.is_current(today):
        raise NotFound("Không tìm thấy đơn vị.")
    if not unit.level.is_residential_area:
        return unit, None
    commune = unit.parent
    if commune is None or not commune.is_current(today):
        raise NotFound("Không tìm thấy đơn vị.")
    return commune, unit


def receive_public_case(
    session: Session,
    *,
    unit_id: int,
    kind: CaseKind,
    title: str,
    content: str,
    concerned: str = "",
    reporter_mode: ReporterMode = ReporterMode.anonymous,
    reporter: dict | None = None,
    today: dt.date | None = None,
) -> tuple[Case, str]:
    """Record what a citizen sent through the public form; return the case and its receipt
    code (shown once, stored only hashed). Flushes only."""
    today = today or clock.today()
    unit, area = form_target(session, unit_id, today)
    case = case_operations.receive_case(
        session,
        PUBLIC,
        unit_id=unit.id,
        area_id=area.id if area else None,
        received_on=today,
        channel=Channel.online,
        kind=kind,
        title=title,
        content=content,
        concerned=concerned,
        reporter_mode=reporter_mode,
        reporter=reporter if reporter_mode != ReporterMode.anonymous else None,
    )
    code = issue_receipt(session, case)
    return case, code


def current_case(session: Session, case: Case) -> Case:
    """Where the sender's case is now: escalated or assigned cases continue at another unit."""
    seen = 0
    while case.status == CaseStatus.transferred and case.next_case_id and seen < _MAX_CHAIN:
        case = session.get(Case, case.next_case_id)
        seen += 1
    return case


def add_public_note(session: Session, case: Case, text: str) -> CaseEvent:
    """Add what the sender writes later to the history of the case where it is handled now
    (escalated or assigned cases continue at another unit).

    Decided: the text goes in the append-only history (`cases.operations.add_public_note`), not
    into `Case.content`, so what was received first stays exactly as received and every
    addition keeps its own date."""
    if len((text or "").strip()) > MAX_NOTE_LENGTH:
        raise ValidationFailed(
            f"Nội dung bổ sung dài tối đa {MAX_NOTE_LENGTH} ký tự.", field="text"
        )
    return case_operations.add_public_note(session, current_case(session, case), text)
