"""State changes of the supervision register, one module per resource. They flush, never
commit; the handler owns the transaction. Every write is audited (the actor is the principal
given, the request id comes from context); every object is first read through the scoped
queries, so an id outside the caller's subtree is a NotFound (404), never a Forbidden.

The names below are what the pages, the API, the XLSX import and other domains call."""

from giamsat.supervision.operations.activities import (
    add_comment,
    create_activity,
    update_activity,
)
from giamsat.supervision.operations.assignments import (
    assign_person,
    change_assignment,
    end_assignment,
)
from giamsat.supervision.operations.boards import (
    add_board_member,
    create_board,
    update_board,
    update_board_member,
)
from giamsat.supervision.operations.common import (
    APPROVERS,
    WRITERS,
    require_writer,
    writable_unit,
)
from giamsat.supervision.operations.concerned import (
    LINK_WAYS,
    create_and_link,
    link_person,
    unlink_person,
)
from giamsat.supervision.operations.dialogues import (
    add_commitment,
    add_dialogue_issue,
    create_dialogue,
    report_commitment,
    update_dialogue,
)
from giamsat.supervision.operations.people import (
    PERSON_FIELDS,
    clean_person_fields,
    create_person,
    update_person,
)
from giamsat.supervision.operations.plans import approve_plan, create_plan, update_plan
from giamsat.supervision.operations.recommendations import (
    DEFAULT_RESPONSE_DAYS,
    answer_recommendation,
    due_date,
    issue_recommendation,
    remind_recommendation,
    response_days,
    withdraw_recommendation,
)
from giamsat.supervision.operations.tags import (
    set_comment_tags,
    set_issue_tags,
    set_recommendation_tags,
)

__all__ = [
    "APPROVERS",
    "DEFAULT_RESPONSE_DAYS",
    "LINK_WAYS",
    "PERSON_FIELDS",
    "WRITERS",
    "add_board_member",
    "add_comment",
    "add_commitment",
    "add_dialogue_issue",
    "answer_recommendation",
    "approve_plan",
    "assign_person",
    "change_assignment",
    "clean_person_fields",
    "create_and_link",
    "create_activity",
    "create_board",
    "create_dialogue",
    "create_person",
    "create_plan",
    "due_date",
    "end_assignment",
    "issue_recommendation",
    "link_person",
    "remind_recommendation",
    "report_commitment",
    "require_writer",
    "response_days",
    "set_comment_tags",
    "set_issue_tags",
    "set_recommendation_tags",
    "unlink_person",
    "update_activity",
    "update_board",
    "update_board_member",
    "update_dialogue",
    "update_person",
    "update_plan",
    "withdraw_recommendation",
    "writable_unit",
]
