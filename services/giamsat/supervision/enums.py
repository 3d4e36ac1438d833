"""The choices of the supervision register (stored as their values)."""

from __future__ import annotations

import enum


class PersonTier(str, enum.Enum):
    """The three tiers of Regulation 124-QĐ/TW (đối tượng giám sát)."""

    head = "head"  #: người đứng đầu
    key_cadre = "key_cadre"  #: cán bộ chủ chốt
    cadre = "cadre"  #: cán bộ, đảng viên


class ManagementLevel(str, enum.Enum):
    """Which party body manages the cadre (diện quản lý) — a countable category for reports."""

    provincial_standing_committee = "provincial_standing_committee"  #: Ban Thường vụ Tỉnh ủy
    provincial_party_committee = "provincial_party_committee"  #: Tỉnh ủy / cơ quan cấp tỉnh khác
    district_standing_committee = (
        "district_standing_committee"  #: Ban Thường vụ Huyện ủy (trước 7/2025)
    )
    commune_standing_committee = "commune_standing_committee"  #: Ban Thường vụ Đảng ủy xã/phường
    commune_party_committee = "commune_party_committee"  #: Đảng ủy xã/phường
    party_cell = "party_cell"  #: chi bộ
    other = "other"  #: khác / chưa xác định


class Place(str, enum.Enum):
    """Where the person is supervised (nơi giám sát)."""

    workplace = "workplace"  #: nơi công tác
    residence = "residence"  #: nơi cư trú


class PlanStatus(str, enum.Enum):
    draft = "draft"  #: dự thảo
    approved = "approved"  #: đã duyệt


class ActivityKind(str, enum.Enum):
    thematic = "thematic"  #: giám sát chuyên đề
    regular = "regular"  #: giám sát thường xuyên
    via_suggestion_box = "via_suggestion_box"  #: qua hòm thư góp ý
    via_dialogue = "via_dialogue"  #: qua đối thoại
    via_peoples_inspection = "via_peoples_inspection"  #: qua Ban Thanh tra nhân dân
    dissemination_conference = "dissemination_conference"  #: hội nghị quán triệt


class AddresseeKind(str, enum.Enum):
    party_committee = "party_committee"  #: cấp ủy
    authority = "authority"  #: chính quyền
    cadre = "cadre"  #: cán bộ, đảng viên


class ExpectedAnswer(str, enum.Enum):
    accept = "accept"  #: tiếp thu
    explain = "explain"  #: giải trình


class RecommendationStatus(str, enum.Enum):
    """Stored states; "overdue" is derived (awaiting and past due_on), never stored."""

    awaiting = "awaiting"  #: chờ trả lời
    answered_accepted = "answered_accepted"  #: đã trả lời, tiếp thu
    answered_explained = "answered_explained"  #: đã trả lời, giải trình
    withdrawn = "withdrawn"  #: rút lại


class DialogueStatus(str, enum.Enum):
    scheduled = "scheduled"  #: đã lên lịch
    held = "held"  #: đã tổ chức
    cancelled = "cancelled"  #: hủy


class CommitmentStatus(str, enum.Enum):
    open = "open"  #: đang theo dõi
    kept = "kept"  #: đã thực hiện
    broken = "broken"  #: không thực hiện (đã báo cáo)
