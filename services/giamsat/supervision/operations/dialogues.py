"""Dialogues (đối thoại): the issues raised there and the commitments followed up until kept
or reported broken."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.core.errors import Conflict, ValidationFailed
from giamsat.core.validation import check
from giamsat.supervision import queries
from giamsat.supervision.labels import DIALOGUE_STATUS_LABELS
from giamsat.supervision.models import (
    CommitmentStatus,
    Dialogue,
    DialogueCommitment,
    DialogueIssue,
    DialogueStatus,
)
from giamsat.supervision.operations.common import (
    choice,
    organization_at,
    record_change,
    require_writer,
    today,
    unit_of,
    writable_unit,
)
from giamsat.supervision.operations.tags import checked_tags, with_tags

#: Optional text fields of a dialogue: (field, label, single line).
_TEXTS = (
    ("place", "Địa điểm", True),
    ("chaired_by", "Chủ trì", True),
    ("heads_present", "Người đứng đầu tham dự", False),
    ("participants", "Thành phần", False),
    ("summary", "Kết quả", False),
)


def _dialogue_values(dialogue: Dialogue, values: Mapping[str, Any]) -> None:
    if "title" in values:
        dialogue.title = check(
            values["title"],
            "title",
            "text",
            label="Chủ đề đối thoại",
            required=True,
            max_length=300,
        )
    if "held_on" in values:
        dialogue.held_on = check(
            values["held_on"], "held_on", "date", label="Ngày đối thoại", required=True
        )
    if "status" in values:
        dialogue.status = choice(DialogueStatus, values["status"], "status", DIALOGUE_STATUS_LABELS)
    if dialogue.status == DialogueStatus.held and dialogue.held_on > today():
        raise ValidationFailed(
            "Buổi đối thoại chưa tới ngày, chưa thể ghi là đã tổ chức.", field="status"
        )
    for key, label, single in _TEXTS:
        if key in values:
            setattr(
                dialogue,
                key,
                check(
                    values[key],
                    key,
                    "text",
                    label=label,
                    single_line=single,
                    max_length=300 if single else None,
                ),
            )
    if "participants_count" in values:
        dialogue.participants_count = (
            check(values["participants_count"], "participants_count", "count", label="Số người")
            or 0
        )


def create_dialogue(
    session: Session,
    principal,
    *,
    unit_id: int,
    organization_id: int,
    title: str,
    held_on: dt.date,
    **values: Any,
) -> Dialogue:
    """Schedule (or record) a dialogue. Optional: place, status, chaired_by, heads_present,
    participants_count, participants, summary."""
    unit = writable_unit(session, principal, unit_id)
    org = organization_at(session, organization_id, unit)
    dialogue = Dialogue(unit_id=unit.id, organization_id=org.id, status=DialogueStatus.scheduled)
    _dialogue_values(dialogue, {"title": title, "held_on": held_on, **values})
    session.add(dialogue)
    session.flush()
    record_change(session, principal, "create", dialogue, None)
    return dialogue


def update_dialogue(session: Session, principal, dialogue_id: int, **values: Any) -> Dialogue:
    dialogue = queries.get_dialogue(session, dialogue_id, principal)
    require_writer(principal, unit_of(session, dialogue))
    before = audit.snapshot(dialogue)
    _dialogue_values(dialogue, values)
    session.flush()
    record_change(session, principal, "update", dialogue, before)
    return dialogue


def add_dialogue_issue(
    session: Session,
    principal,
    dialogue_id: int,
    *,
    content: str,
    answer: str = "",
    tag_codes: Iterable[str] = (),
) -> DialogueIssue:
    """Record an issue raised at a dialogue; `tag_codes` from the classification catalogue."""
    dialogue = queries.get_dialogue(session, dialogue_id, principal)
    require_writer(principal, unit_of(session, dialogue))
    tags = checked_tags(session, tag_codes)
    issue = DialogueIssue(
        unit_id=dialogue.unit_id,
        dialogue_id=dialogue.id,
        content=check(
            content, "content", "text", label="Vấn đề nêu ra", required=True, single_line=False
        ),
        answer=check(answer, "answer", "text", label="Trả lời", single_line=False),
        tags=tags,
    )
    session.add(issue)
    session.flush()
    session.refresh(dialogue, ["issues"])
    record_change(session, principal, "create", issue, None, with_tags(issue))
    return issue


def add_commitment(
    session: Session,
    principal,
    dialogue_id: int,
    *,
    content: str,
    responsible: str = "",
    due_on: dt.date | None = None,
    issue_id: int | None = None,
) -> DialogueCommitment:
    """Record a commitment made at a dialogue; it stays open until kept or reported broken."""
    dialogue = queries.get_dialogue(session, dialogue_id, principal)
    require_writer(principal, unit_of(session, dialogue))
    if issue_id is not None and issue_id not in {i.id for i in dialogue.issues}:
        raise ValidationFailed("Vấn đề phải thuộc buổi đối thoại này.", field="issue_id")
    if due_on is not None and due_on < dialogue.held_on:
        raise ValidationFailed("Hạn thực hiện không được trước ngày đối thoại.", field="due_on")
    commitment = DialogueCommitment(
        unit_id=dialogue.unit_id,
        dialogue_id=dialogue.id,
        issue_id=issue_id,
        content=check(
            content, "content", "text", label="Nội dung cam kết", required=True, single_line=False
        ),
        responsible=check(
            responsible, "responsible", "text", label="Người chịu trách nhiệm", max_length=300
        ),
        due_on=due_on,
        status=CommitmentStatus.open,
    )
    session.add(commitment)
    session.flush()
    session.refresh(dialogue, ["commitments"])
    record_change(session, principal, "create", commitment, None)
    return commitment


def report_commitment(
    session: Session,
    principal,
    commitment_id: int,
    *,
    status: CommitmentStatus | str,
    report: str,
    reported_on: dt.date | None = None,
) -> DialogueCommitment:
    """Close the follow-up of a commitment: kept, or broken (with the report that says so)."""
    commitment = queries.get_commitment(session, commitment_id, principal)
    require_writer(principal, unit_of(session, commitment))
    if commitment.status != CommitmentStatus.open:
        raise Conflict("Cam kết này đã có kết quả theo dõi.")
    status = choice(CommitmentStatus, status, "status")
    if status == CommitmentStatus.open:
        raise ValidationFailed("Hãy chọn đã thực hiện hoặc không thực hiện.", field="status")
    reported_on = reported_on or today()
    if reported_on > today():
        raise ValidationFailed("Ngày báo cáo không được sau hôm nay.", field="reported_on")
    before = audit.snapshot(commitment)
    commitment.status = status
    commitment.report = check(
        report, "report", "text", label="Kết quả theo dõi", required=True, single_line=False
    )
    commitment.reported_on = reported_on
    session.flush()
    record_change(session, principal, "report", commitment, before)
    return commitment
