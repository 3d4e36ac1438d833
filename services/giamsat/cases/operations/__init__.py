"""State changes of cases: intake, the handling workflow, transfers along the tree, tags.

Every function flushes, never commits (one commit per handler), writes a history row
(CaseEvent) and an audit entry (the actor and request from `core.acting` unless `principal`
names them), and raises DomainError subclasses with Vietnamese messages. `principal` is a
Principal, or a PublicActor for the public online form (intake only).
"""

from giamsat.cases.operations.common import PublicActor, require_handler, today
from giamsat.cases.operations.departments import set_department
from giamsat.cases.operations.editing import (
    add_public_note,
    set_public_answer,
    set_tags,
    update_case,
)
from giamsat.cases.operations.files import add_attachment, add_public_attachment
from giamsat.cases.operations.handling import (
    archive_case,
    close_case,
    extend_deadline,
    forward_case,
    handle_case,
    record_response,
    reopen_case,
    start_verification,
)
from giamsat.cases.operations.intake import next_number, receive_case
from giamsat.cases.operations.transfers import assign_case, escalate_case

__all__ = [
    "set_department",
    "PublicActor",
    "add_attachment",
    "add_public_attachment",
    "add_public_note",
    "archive_case",
    "assign_case",
    "close_case",
    "escalate_case",
    "extend_deadline",
    "forward_case",
    "handle_case",
    "next_number",
    "receive_case",
    "record_response",
    "reopen_case",
    "require_handler",
    "set_public_answer",
    "set_tags",
    "start_verification",
    "today",
    "update_case",
]
