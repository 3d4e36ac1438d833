"""REST resources of voter meetings and opinion collection (with their issues, and the case or
recommendation opened from an issue), meeting attendance, respected people and core members."""

from __future__ import annotations

from flask.views import MethodView

from giamsat.http.api import SelectPage, TenantBlueprint, current_principal, tenant_session
from giamsat.supervision.channels import meetings, queries, registers
from giamsat.supervision.channels.schemas import (
    CitizenIssueCaseCreatedSchema,
    CitizenIssueCaseSchema,
    CitizenIssueCreateSchema,
    CitizenIssueRecommendationSchema,
    CitizenIssueRecommendedSchema,
    CitizenIssueSchema,
    CitizenIssueUpdateSchema,
    CitizenMeetingCreateSchema,
    CitizenMeetingQueryArgsSchema,
    CitizenMeetingSchema,
    CitizenMeetingUpdateSchema,
    MeetingAttendanceCreateSchema,
    MeetingAttendanceQueryArgsSchema,
    MeetingAttendanceSchema,
    MeetingAttendanceUpdateSchema,
    RespectedPersonCreateSchema,
    RespectedPersonListSchema,
    RespectedPersonQueryArgsSchema,
    RespectedPersonSchema,
    RespectedPersonUpdateSchema,
)

meetings_blp = TenantBlueprint(
    "supervision_voter_meetings",
    __name__,
    "/supervision/voter-meetings",
    description="Tiếp xúc cử tri và lấy ý kiến Nhân dân: ý kiến nêu ra, nơi chuyển đến, trả "
    "lời; mở hồ sơ vụ việc hoặc kiến nghị từ một ý kiến.",
)
attendance_blp = TenantBlueprint(
    "supervision_meeting_attendance",
    __name__,
    "/supervision/meeting-attendance",
    description="Các cuộc họp của cấp ủy, HĐND, UBND cùng cấp mà Ủy ban MTTQ đã dự (được đếm "
    "trong báo cáo).",
)
respected_blp = TenantBlueprint(
    "supervision_respected_people",
    __name__,
    "/supervision/respected-people",
    description="Người có uy tín và lực lượng cốt cán ở từng khu dân cư; liên hệ là dữ liệu cá "
    "nhân, danh sách chỉ hiện dạng che.",
)


@meetings_blp.route("")
class Meetings(MethodView):
    @meetings_blp.arguments(CitizenMeetingQueryArgsSchema, location="query")
    @meetings_blp.response(200, CitizenMeetingSchema(many=True))
    @meetings_blp.paginate(SelectPage)
    def get(self, args):
        """Buổi tiếp xúc cử tri, lấy ý kiến, mới nhất trước"""
        return queries.list_meetings_query(tenant_session(), current_principal(), **args)

    @meetings_blp.arguments(CitizenMeetingCreateSchema)
    @meetings_blp.response(201, CitizenMeetingSchema)
    def post(self, data):
        """Ghi một buổi tiếp xúc cử tri hoặc lấy ý kiến Nhân dân"""
        return meetings.create_meeting(tenant_session(), current_principal(), **data)


@meetings_blp.route("/<int:meeting_id>")
class MeetingById(MethodView):
    @meetings_blp.etag
    @meetings_blp.response(200, CitizenMeetingSchema)
    def get(self, meeting_id):
        """Một buổi, với các ý kiến nêu ra"""
        return queries.get_meeting(tenant_session(), meeting_id, current_principal())

    @meetings_blp.etag
    @meetings_blp.arguments(CitizenMeetingUpdateSchema)
    @meetings_blp.response(200, CitizenMeetingSchema)
    def patch(self, data, meeting_id):
        """Sửa buổi (cần If-Match)"""
        session = tenant_session()
        meeting = queries.get_meeting(session, meeting_id, current_principal())
        meetings_blp.check_etag(meeting, CitizenMeetingSchema)
        return meetings.update_meeting(session, current_principal(), meeting.id, **data)


@meetings_blp.route("/<int:meeting_id>/issues")
class MeetingIssues(MethodView):
    @meetings_blp.arguments(CitizenIssueCreateSchema)
    @meetings_blp.response(201, CitizenIssueSchema)
    def post(self, data, meeting_id):
        """Ghi một ý kiến, kiến nghị của cử tri tại buổi"""
        return meetings.add_issue(tenant_session(), current_principal(), meeting_id, **data)


@meetings_blp.route("/issues/<int:issue_id>")
class IssueById(MethodView):
    @meetings_blp.etag
    @meetings_blp.response(200, CitizenIssueSchema)
    def get(self, issue_id):
        """Một ý kiến"""
        return queries.get_issue(tenant_session(), issue_id, current_principal())

    @meetings_blp.etag
    @meetings_blp.arguments(CitizenIssueUpdateSchema)
    @meetings_blp.response(200, CitizenIssueSchema)
    def patch(self, data, issue_id):
        """Ghi nơi chuyển đến, trả lời và ngày trả lời (cần If-Match)"""
        session = tenant_session()
        issue = queries.get_issue(session, issue_id, current_principal())
        meetings_blp.check_etag(issue, CitizenIssueSchema)
        return meetings.update_issue(session, current_principal(), issue.id, **data)


@meetings_blp.route("/issues/<int:issue_id>/case")
class IssueCase(MethodView):
    @meetings_blp.arguments(CitizenIssueCaseSchema)
    @meetings_blp.response(201, CitizenIssueCaseCreatedSchema)
    def post(self, data, issue_id):
        """Mở hồ sơ vụ việc từ ý kiến (kênh “tiếp xúc cử tri”); ý kiến giữ liên kết"""
        session = tenant_session()
        case = meetings.open_case(session, current_principal(), issue_id, **data)
        issue = queries.get_issue(session, issue_id, current_principal())
        return {"issue": issue, "case_id": case.id, "case_number": case.number}


@meetings_blp.route("/issues/<int:issue_id>/recommendation")
class IssueRecommendation(MethodView):
    @meetings_blp.arguments(CitizenIssueRecommendationSchema)
    @meetings_blp.response(201, CitizenIssueRecommendedSchema)
    def post(self, data, issue_id):
        """Ban hành kiến nghị từ ý kiến; ý kiến giữ liên kết"""
        session = tenant_session()
        rec = meetings.recommend(session, current_principal(), issue_id, **data)
        issue = queries.get_issue(session, issue_id, current_principal())
        return {"issue": issue, "recommendation_id": rec.id, "due_on": rec.due_on}


@attendance_blp.route("")
class Attendances(MethodView):
    @attendance_blp.arguments(MeetingAttendanceQueryArgsSchema, location="query")
    @attendance_blp.response(200, MeetingAttendanceSchema(many=True))
    @attendance_blp.paginate(SelectPage)
    def get(self, args):
        """Lượt dự họp, mới nhất trước"""
        return queries.list_attendances_query(tenant_session(), current_principal(), **args)

    @attendance_blp.arguments(MeetingAttendanceCreateSchema)
    @attendance_blp.response(201, MeetingAttendanceSchema)
    def post(self, data):
        """Ghi một cuộc họp của cấp ủy, HĐND hoặc UBND cùng cấp đã dự"""
        return registers.record_attendance(tenant_session(), current_principal(), **data)


@attendance_blp.route("/<int:attendance_id>")
class AttendanceById(MethodView):
    @attendance_blp.etag
    @attendance_blp.response(200, MeetingAttendanceSchema)
    def get(self, attendance_id):
        """Một lượt dự họp"""
        return queries.get_attendance(tenant_session(), attendance_id, current_principal())

    @attendance_blp.etag
    @attendance_blp.arguments(MeetingAttendanceUpdateSchema)
    @attendance_blp.response(200, MeetingAttendanceSchema)
    def patch(self, data, attendance_id):
        """Sửa lượt dự họp (cần If-Match)"""
        session = tenant_session()
        row = queries.get_attendance(session, attendance_id, current_principal())
        attendance_blp.check_etag(row, MeetingAttendanceSchema)
        return registers.update_attendance(session, current_principal(), row.id, **data)

    @attendance_blp.etag
    @attendance_blp.response(204)
    def delete(self, attendance_id):
        """Xóa một lượt ghi nhầm (cần If-Match)"""
        session = tenant_session()
        row = queries.get_attendance(session, attendance_id, current_principal())
        attendance_blp.check_etag(row, MeetingAttendanceSchema)
        registers.delete_attendance(session, current_principal(), row.id)


@respected_blp.route("")
class RespectedPeople(MethodView):
    @respected_blp.arguments(RespectedPersonQueryArgsSchema, location="query")
    @respected_blp.response(200, RespectedPersonListSchema(many=True))
    @respected_blp.paginate(SelectPage)
    def get(self, args):
        """Người có uy tín, cốt cán, theo tên (liên hệ đã che)"""
        return queries.list_respected_query(tenant_session(), current_principal(), **args)

    @respected_blp.arguments(RespectedPersonCreateSchema)
    @respected_blp.response(201, RespectedPersonSchema)
    def post(self, data):
        """Thêm người có uy tín hoặc cốt cán của một khu dân cư"""
        return registers.add_respected(tenant_session(), current_principal(), **data)


@respected_blp.route("/<int:person_id>")
class RespectedById(MethodView):
    @respected_blp.etag
    @respected_blp.response(200, RespectedPersonSchema)
    def get(self, person_id):
        """Một người, với liên hệ đầy đủ"""
        return queries.get_respected(tenant_session(), person_id, current_principal())

    @respected_blp.etag
    @respected_blp.arguments(RespectedPersonUpdateSchema)
    @respected_blp.response(200, RespectedPersonSchema)
    def patch(self, data, person_id):
        """Sửa, hoặc `is_active: false` khi người đó thôi (cần If-Match)"""
        session = tenant_session()
        person = queries.get_respected(session, person_id, current_principal())
        respected_blp.check_etag(person, RespectedPersonSchema)
        return registers.update_respected(session, current_principal(), person.id, **data)


BLUEPRINTS = (meetings_blp, attendance_blp, respected_blp)
