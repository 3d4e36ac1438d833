"""Classification tags of findings — comments, recommendations and dialogue issues — from the
cases' catalogue (`cases.catalogue`): the same codes, the same check, no second catalogue.

Tags are checked before anything is written: an unknown or inactive code is a field error on
`tags` and the record stays as it was."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from giamsat.cases.catalogue import categories_by_code
from giamsat.cases.models import ClassificationCategory
from giamsat.core import audit, events
from giamsat.supervision import queries
from giamsat.supervision.events import SupervisionRecordChanged
from giamsat.supervision.models import DialogueIssue, Recommendation, SupervisionComment
from giamsat.supervision.operations.common import require_writer, unit_of

Finding = SupervisionComment | Recommendation | DialogueIssue


def checked_tags(session: Session, tag_codes: Iterable[str] | None) -> list[ClassificationCategory]:
    """The active categories for `tag_codes` (order kept, duplicates dropped); unknown → 422."""
    return categories_by_code(session, tag_codes or ())


def tag_codes(finding: Finding) -> list[str]:
    return [t.code for t in finding.tags]


def with_tags(finding: Finding) -> dict:
    """The audit snapshot of a finding with its tags (they live in a link table)."""
    return audit.snapshot(finding) | {"tags": tag_codes(finding)}


def _retag(session: Session, principal, finding: Finding, codes) -> Finding:
    require_writer(principal, unit_of(session, finding))
    tags = checked_tags(session, codes)
    old, new = tag_codes(finding), [t.code for t in tags]
    if old == new:
        return finding
    finding.tags = tags
    session.flush()
    audit.record(
        session,
        principal,
        action="tag",
        object_type=finding.__tablename__,
        object_id=finding.id,
        changes={"tags": [old, new]},
    )
    # Figures counting manifestations change with the tags: tell the reports.
    before = audit.snapshot(finding) | {"tags": old}
    events.emit(session, SupervisionRecordChanged(obj=finding, before=before, action="tag"))
    return finding


def set_comment_tags(session: Session, principal, comment_id: int, codes) -> SupervisionComment:
    """Replace the tags of a comment given in an activity (several allowed)."""
    comment = queries.get_comment(session, comment_id, principal)
    return _retag(session, principal, comment, codes)


def set_recommendation_tags(
    session: Session, principal, recommendation_id: int, codes
) -> Recommendation:
    """Replace the tags of a recommendation, whatever its status (the finding stays a finding)."""
    rec = queries.get_recommendation(session, recommendation_id, principal)
    return _retag(session, principal, rec, codes)


def set_issue_tags(session: Session, principal, issue_id: int, codes) -> DialogueIssue:
    """Replace the tags of an issue raised at a dialogue."""
    issue = queries.get_dialogue_issue(session, issue_id, principal)
    return _retag(session, principal, issue, codes)
