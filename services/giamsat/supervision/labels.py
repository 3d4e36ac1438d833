"""The Vietnamese names of the register's categories, defined once and marked for translation.

Pages render them in the reader's language. The XLSX layout, the API and the operations'
messages speak Vietnamese whatever the page's language (an exported file must import back),
so they take `vietnamese(LABELS)`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from giamsat.supervision.board_models import BoardKind, BoardRole
from giamsat.supervision.models import (
    ActivityKind,
    AddresseeKind,
    CommitmentStatus,
    DialogueStatus,
    ExpectedAnswer,
    ManagementLevel,
    PersonTier,
    Place,
    PlanStatus,
    RecommendationStatus,
)

K = TypeVar("K")

TIER_LABELS = {
    PersonTier.head: _l("Người đứng đầu"),
    PersonTier.key_cadre: _l("Cán bộ chủ chốt"),
    PersonTier.cadre: _l("Cán bộ, đảng viên"),
}
MANAGEMENT_LEVEL_LABELS = {
    ManagementLevel.provincial_standing_committee: _l("Ban Thường vụ Tỉnh ủy quản lý"),
    ManagementLevel.provincial_party_committee: _l("Cấp tỉnh quản lý (khác)"),
    ManagementLevel.district_standing_committee: _l("Ban Thường vụ Huyện ủy quản lý"),
    ManagementLevel.commune_standing_committee: _l("Ban Thường vụ Đảng ủy xã quản lý"),
    ManagementLevel.commune_party_committee: _l("Đảng ủy xã quản lý"),
    ManagementLevel.party_cell: _l("Chi bộ quản lý"),
    ManagementLevel.other: _l("Khác"),
}
PLACE_LABELS = {Place.workplace: _l("Nơi công tác"), Place.residence: _l("Nơi cư trú")}
PLAN_STATUS_LABELS = {PlanStatus.draft: _l("Dự thảo"), PlanStatus.approved: _l("Đã duyệt")}
ACTIVITY_KIND_LABELS = {
    ActivityKind.thematic: _l("Giám sát chuyên đề"),
    ActivityKind.regular: _l("Giám sát thường xuyên"),
    ActivityKind.via_suggestion_box: _l("Giám sát qua hòm thư góp ý"),
    ActivityKind.via_dialogue: _l("Giám sát qua đối thoại"),
    ActivityKind.via_peoples_inspection: _l("Giám sát qua Ban Thanh tra nhân dân"),
    ActivityKind.dissemination_conference: _l("Hội nghị quán triệt"),
}
ADDRESSEE_KIND_LABELS = {
    AddresseeKind.party_committee: _l("Cấp ủy"),
    AddresseeKind.authority: _l("Chính quyền"),
    AddresseeKind.cadre: _l("Cán bộ, đảng viên"),
}
EXPECTED_ANSWER_LABELS = {
    ExpectedAnswer.accept: _l("Tiếp thu"),
    ExpectedAnswer.explain: _l("Giải trình"),
}
RECOMMENDATION_STATUS_LABELS = {
    RecommendationStatus.awaiting: _l("Chờ trả lời"),
    RecommendationStatus.answered_accepted: _l("Đã trả lời: tiếp thu"),
    RecommendationStatus.answered_explained: _l("Đã trả lời: giải trình"),
    RecommendationStatus.withdrawn: _l("Đã rút lại"),
}
DIALOGUE_STATUS_LABELS = {
    DialogueStatus.scheduled: _l("Đã lên lịch"),
    DialogueStatus.held: _l("Đã tổ chức"),
    DialogueStatus.cancelled: _l("Đã hủy"),
}
COMMITMENT_STATUS_LABELS = {
    CommitmentStatus.open: _l("Đang theo dõi"),
    CommitmentStatus.kept: _l("Đã thực hiện"),
    CommitmentStatus.broken: _l("Không thực hiện"),
}
#: Why a person of the register is proposed for a case (`queries.concerned`).
PROPOSAL_REASON_LABELS = {
    "name_in_concerned": _l("Trùng họ tên ở phần người bị phản ánh"),
    "name_in_text": _l("Trùng họ tên trong nội dung"),
    "position": _l("Trùng chức vụ"),
    "same_unit": _l("Cùng đơn vị"),
    "related_unit": _l("Đơn vị cấp trên hoặc cấp dưới"),
}


def vietnamese(labels: Mapping[K, Any]) -> dict[K, str]:
    """`labels` as plain Vietnamese text, whatever language the request reads in (the msgids
    are the Vietnamese words, so the untranslated text is the Vietnamese one)."""
    with force_locale("vi"):
        return {key: str(label) for key, label in labels.items()}


BOARD_KIND_LABELS = {
    BoardKind.ttnd: _l("Ban Thanh tra nhân dân"),
    BoardKind.gsdtcd: _l("Ban Giám sát đầu tư của cộng đồng"),
}
BOARD_ROLE_LABELS = {
    BoardRole.head: _l("Trưởng ban"),
    BoardRole.deputy: _l("Phó Trưởng ban"),
    BoardRole.member: _l("Thành viên"),
}
