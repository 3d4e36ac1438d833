"""The handling workflow of a case as data: which action moves which status where."""

from __future__ import annotations

from dataclasses import dataclass

from giamsat.cases import labels
from giamsat.cases.models import CaseStatus
from giamsat.core.errors import Conflict
from giamsat.identity import Role

S = CaseStatus

#: Roles over a case's unit (or an ancestor) that may record and handle cases; readonly only reads.
CASE_HANDLERS = frozenset({Role.staff, Role.leader, Role.unit_admin, Role.tenant_admin})

#: The status labels (defined in `cases.labels`) as their Vietnamese texts: the workflow's
#: messages and the API's `status_label` are Vietnamese whatever the page language.
STATUS_LABELS = {status: str(label) for status, label in labels.STATUS_LABELS.items()}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  #: Vietnamese verb phrase, as in "Không thể <label> …"
    sources: frozenset[CaseStatus]
    target: CaseStatus


def _t(action, label, sources, target):
    return Transition(action, label, frozenset(sources), target)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("verify", "bắt đầu xác minh", {S.received}, S.verifying),
        _t("forward", "chuyển cơ quan có thẩm quyền", {S.verifying}, S.awaiting_response),
        _t("handle", "ghi nhận Ủy ban tự giải quyết", {S.verifying}, S.handled),
        _t("archive", "lưu hồ sơ", {S.verifying}, S.archived),
        _t("respond", "ghi nhận trả lời", {S.awaiting_response}, S.responded),
        # The competent body extends its own time limit (gia hạn), as far as its rule allows.
        _t("extend", "gia hạn trả lời", {S.awaiting_response}, S.awaiting_response),
        _t("close", "kết thúc", {S.responded, S.handled}, S.closed),
        _t("reopen", "mở lại", {S.archived, S.closed}, S.verifying),
        # Escalate (lên cấp trên) and assign (giao cấp dưới) continue the case at another unit.
        _t("escalate", "chuyển lên cấp trên", {S.received, S.verifying}, S.transferred),
        _t("assign", "giao cho cấp dưới", {S.received, S.verifying}, S.transferred),
    )
}

ACTIONS = tuple(TRANSITIONS)

#: Statuses in which the words and tags of a case may still be edited.
EDITABLE = frozenset({S.received, S.verifying, S.awaiting_response, S.handled, S.responded})


def status_label(status: CaseStatus | str) -> str:
    return STATUS_LABELS[CaseStatus(status)]


def allowed_actions(status: CaseStatus) -> list[str]:
    """The actions a case in `status` may take (for buttons and the API)."""
    return [t.action for t in TRANSITIONS.values() if status in t.sources]


def check_transition(status: CaseStatus, action: str) -> CaseStatus:
    """The status `action` leads to from `status`; Conflict (409) with the reason if illegal."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise Conflict(f"Không có thao tác “{action}”.", field="action")
    if status not in transition.sources:
        allowed = ", ".join(
            f"“{STATUS_LABELS[s]}”" for s in sorted(transition.sources, key=list(S).index)
        )
        raise Conflict(
            f"Không thể {transition.label} khi hồ sơ đang ở trạng thái "
            f"“{STATUS_LABELS[status]}”: chỉ làm được khi hồ sơ ở trạng thái "
            f"{allowed}.",
            field="action",
        )
    return transition.target
