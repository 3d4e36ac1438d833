"""REST resources of the people a case concerns, and of the cases about a person."""

from __future__ import annotations

from flask.views import MethodView

from giamsat.cases.queries import get_case
from giamsat.http.api import SelectPage, TenantBlueprint, current_principal, tenant_session
from giamsat.supervision import operations, queries
from giamsat.supervision.schemas.concerned import (
    CasePeopleSchema,
    CasePersonLinkCreateSchema,
    CasePersonLinkSchema,
    CasePersonNewSchema,
    PersonCaseSchema,
)

case_people_blp = TenantBlueprint(
    "supervision_case_people",
    __name__,
    "/supervision",
    description="Người bị phản ánh của hồ sơ, gắn với người trong sổ giám sát: gợi ý theo họ "
    "tên (không dấu cũng được), chức vụ và đơn vị; chỉ gắn khi cán bộ xác nhận. Hồ sơ về một "
    "người: không bao giờ có danh tính người gửi.",
)


def _case_people(case):
    session, principal = tenant_session(), current_principal()
    return {
        "linked": queries.linked_people(session, case, principal),
        "proposals": queries.propose_people(session, case, principal),
        "names_in_text": [
            {"full_name": name, "position": position}
            for name, position in queries.concerned_names(case)
        ],
    }


def _linked(case_id: int, person_id: int):
    session, principal = tenant_session(), current_principal()
    case = get_case(session, case_id, principal)
    found = [lp for lp in queries.linked_people(session, case, principal) if lp.visible]
    return next(lp for lp in found if lp.link.person_id == person_id)


@case_people_blp.route("/cases/<int:case_id>/people")
class CasePeople(MethodView):
    @case_people_blp.response(200, CasePeopleSchema)
    def get(self, case_id):
        """Người trong sổ giám sát đã gắn với hồ sơ, và các gợi ý chưa xác nhận"""
        return _case_people(get_case(tenant_session(), case_id, current_principal()))

    @case_people_blp.arguments(CasePersonLinkCreateSchema)
    @case_people_blp.response(201, CasePersonLinkSchema)
    def post(self, data, case_id):
        """Xác nhận hồ sơ nói về người này (gắn)

        Hồ sơ hoặc người ngoài phạm vi: 404; đã gắn rồi: 409.
        """
        link = operations.link_person(
            tenant_session(), current_principal(), case_id, data["person_id"], how=data["how"]
        )
        return _linked(case_id, link.person_id)


@case_people_blp.route("/cases/<int:case_id>/people/new")
class CasePersonNew(MethodView):
    @case_people_blp.arguments(CasePersonNewSchema)
    @case_people_blp.response(201, CasePersonLinkSchema)
    def post(self, data, case_id):
        """Thêm người mới vào sổ của một đơn vị và gắn với hồ sơ"""
        link = operations.create_and_link(tenant_session(), current_principal(), case_id, **data)
        return _linked(case_id, link.person_id)


@case_people_blp.route("/cases/<int:case_id>/people/<int:person_id>")
class CasePersonById(MethodView):
    @case_people_blp.response(204)
    def delete(self, case_id, person_id):
        """Bỏ gắn (xác nhận nhầm); người và hồ sơ vẫn giữ nguyên"""
        operations.unlink_person(tenant_session(), current_principal(), case_id, person_id)


@case_people_blp.route("/people/<int:person_id>/cases")
class PersonCases(MethodView):
    @case_people_blp.response(200, PersonCaseSchema(many=True))
    @case_people_blp.paginate(SelectPage)
    def get(self, person_id):
        """Các hồ sơ về một người, ở các đơn vị bạn được xem

        Chỉ số, tiêu đề, tình trạng và các ngày của hồ sơ; không bao giờ có người gửi.
        """
        return queries.cases_of_person_query(tenant_session(), person_id, current_principal())
