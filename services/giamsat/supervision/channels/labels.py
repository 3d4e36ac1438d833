"""Vietnamese names of the channels' categories, defined once and marked for translation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.supervision.channels.models import (
    CitizenMeetingKind,
    MeetingBody,
    RespectedKind,
    RespectedRole,
)

MEETING_KIND_LABELS = {
    CitizenMeetingKind.voter_meeting: _l("Tiếp xúc cử tri"),
    CitizenMeetingKind.opinion_collection: _l("Lấy ý kiến Nhân dân"),
}
MEETING_BODY_LABELS = {
    MeetingBody.party_committee: _l("Cấp ủy cùng cấp"),
    MeetingBody.peoples_council: _l("HĐND cùng cấp"),
    MeetingBody.peoples_committee: _l("UBND cùng cấp"),
}
RESPECTED_KIND_LABELS = {
    RespectedKind.respected: _l("Người có uy tín"),
    RespectedKind.core_member: _l("Lực lượng cốt cán"),
}
RESPECTED_ROLE_LABELS = {
    RespectedRole.box_witness: _l("Chứng kiến mở hòm thư"),
    RespectedRole.key_keeper: _l("Giữ chìa khóa hòm thư"),
    RespectedRole.source: _l("Cung cấp thông tin"),
}
