"""Indicator computations over the TW4 tags of every source a finding is recorded in: cases
received, comments of supervision activities, recommendations and issues raised at dialogues —
all tagged from the one classification catalogue (`cases.models.ClassificationCategory`).

A record counts once per TW4 group it has at least one manifestation of (a comment tagged CT-1
and CT-4 is one "political ideology" finding), on the day the source counts on: received_on
for new cases, the activity's start for comments, issued_on for recommendations, the held
dialogue's day for its issues. Rows are attributed like the sources' own counts, so they roll
up from communes (and their residential areas) to the province like every figure."""

from __future__ import annotations

from sqlalchemy import Select, String, cast, func, literal, select, union_all

from giamsat.cases.models import Case, CaseTag, ClassificationCategory
from giamsat.reports.indicators import CASE_UNIT, Window, _new_intake, _rows, computation
from giamsat.supervision.models import (
    Dialogue,
    DialogueIssue,
    DialogueStatus,
    Recommendation,
    SupervisionActivity,
    SupervisionComment,
    comment_tags,
    dialogue_issue_tags,
    recommendation_tags,
)

#: Keys are every group of the catalogue; the indicators take the three of Resolution 4 (CT
#: political ideology, DD ethics and lifestyle, DB "self-evolution, self-transformation").
#: Filtering the groups here instead makes PostgreSQL, which keeps no statistics on the 31-row
#: catalogue (too small for autovacuum to analyze), walk every tag from the category side
#: rather than the period's records: 1.8 s instead of 0.5 s on 200,000 cases (bench).
GROUP = ClassificationCategory.group_code


def _tagged(unit_col, org_col, source: str, record_col) -> Select:
    """(unit, organization, group, source, record) once per record and group."""
    return select(
        unit_col.label("unit_id"),
        org_col.label("organization_id"),
        GROUP.label("grp"),
        literal(source).label("source"),
        record_col.label("record_id"),
    ).distinct()


def _cases(window: Window) -> Select:
    return (
        _tagged(CASE_UNIT, Case.organization_id, "cases", Case.id)
        .join(CaseTag, CaseTag.case_id == Case.id)
        .join(ClassificationCategory, ClassificationCategory.id == CaseTag.category_id)
        .where(_new_intake(window))
    )


def _comments(window: Window) -> Select:
    C, A = SupervisionComment, SupervisionActivity
    return (
        _tagged(C.unit_id, A.organization_id, "comments", C.id)
        .join(A, A.id == C.activity_id)
        .join(comment_tags, comment_tags.c.comment_id == C.id)
        .join(ClassificationCategory, ClassificationCategory.id == comment_tags.c.category_id)
        .where(window.dates(A.starts_on), window.units(C.unit_id))
    )


def _recommendations(window: Window) -> Select:
    R = Recommendation
    return (
        _tagged(R.unit_id, R.organization_id, "recommendations", R.id)
        .join(recommendation_tags, recommendation_tags.c.recommendation_id == R.id)
        .join(
            ClassificationCategory, ClassificationCategory.id == recommendation_tags.c.category_id
        )
        .where(window.dates(R.issued_on), window.units(R.unit_id))
    )


def _dialogue_issues(window: Window) -> Select:
    issue = DialogueIssue
    return (
        _tagged(issue.unit_id, Dialogue.organization_id, "dialogue_issues", issue.id)
        .join(Dialogue, Dialogue.id == issue.dialogue_id)
        .join(dialogue_issue_tags, dialogue_issue_tags.c.issue_id == issue.id)
        .join(
            ClassificationCategory, ClassificationCategory.id == dialogue_issue_tags.c.category_id
        )
        .where(
            Dialogue.status == DialogueStatus.held,
            window.dates(Dialogue.held_on),
            window.units(issue.unit_id),
        )
    )


def _findings(window: Window):
    return union_all(
        _cases(window), _comments(window), _recommendations(window), _dialogue_issues(window)
    ).subquery("findings")


@computation("findings.tw4_by_group")
def tw4_by_group(window: Window) -> Select:
    """Key: the group ("CT", "DD", "DB"), all four sources together."""
    f = _findings(window)
    return select(*_rows(f.c.unit_id, f.c.organization_id, f.c.grp, func.count())).group_by(
        f.c.unit_id, f.c.organization_id, f.c.grp
    )


@computation("findings.tw4_by_group_and_source")
def tw4_by_group_and_source(window: Window) -> Select:
    """Key: "<group>.<source>", e.g. "DD.comments" (sources: cases, comments, recommendations,
    dialogue_issues)."""
    f = _findings(window)
    key = f.c.grp + literal(".") + cast(f.c.source, String)
    return select(*_rows(f.c.unit_id, f.c.organization_id, key, func.count())).group_by(
        f.c.unit_id, f.c.organization_id, key
    )
