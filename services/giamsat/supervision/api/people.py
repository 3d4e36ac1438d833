"""REST resources of people under supervision, with the XLSX import, export and template."""

from __future__ import annotations

from flask import Response, url_for
from flask.views import MethodView

from giamsat.http.api import (
    TenantBlueprint,
    current_principal,
    keyset_page,
    tenant_session,
)
from giamsat.supervision import operations, queries, xlsx
from giamsat.supervision.schemas.overview import SupervisionPersonOverviewSchema
from giamsat.supervision.schemas.people import (
    SupervisionExportQueryArgsSchema,
    SupervisionImportArgsSchema,
    SupervisionImportFileSchema,
    SupervisionImportPreviewSchema,
    SupervisionImportResultSchema,
    SupervisionPersonCreateSchema,
    SupervisionPersonQueryArgsSchema,
    SupervisionPersonSchema,
    SupervisionPersonUpdateSchema,
)

people_blp = TenantBlueprint(
    "supervision_people",
    __name__,
    "/supervision/people",
    description="Người thuộc diện giám sát (người đứng đầu, cán bộ chủ chốt, cán bộ, đảng "
    "viên) theo Quy định 124-QĐ/TW; nhập, xuất danh sách Excel.",
)

_XLSX_DOC = {"type": "string", "format": "binary"}


def _xlsx_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype=xlsx.XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@people_blp.route("")
class People(MethodView):
    @people_blp.arguments(SupervisionPersonQueryArgsSchema, location="query")
    @people_blp.response(200, SupervisionPersonSchema(many=True))
    @people_blp.paginate(keyset_page(lambda p: (p.name_key, p.id)))
    def get(self, args):
        """Danh sách người thuộc diện giám sát, theo tên

        Lọc theo đối tượng, diện quản lý, nơi giám sát (`place`: người đang được phân công ở
        nơi đó) và tìm theo tên hoặc cơ quan.
        """
        return queries.list_people_query(tenant_session(), current_principal(), **args)

    @people_blp.etag
    @people_blp.arguments(SupervisionPersonCreateSchema)
    @people_blp.response(201, SupervisionPersonSchema)
    def post(self, data):
        """Thêm một người vào danh sách của đơn vị

        Trùng họ tên, năm sinh và cơ quan công tác với người đã có: 409.
        """
        person = operations.create_person(tenant_session(), current_principal(), **data)
        return person, {"Location": url_for("supervision_people.PersonById", person_id=person.id)}


@people_blp.route("/<int:person_id>")
class PersonById(MethodView):
    @people_blp.etag
    @people_blp.response(200, SupervisionPersonSchema)
    def get(self, person_id):
        """Một người thuộc diện giám sát"""
        return queries.get_person(tenant_session(), person_id, current_principal())

    @people_blp.etag
    @people_blp.arguments(SupervisionPersonUpdateSchema)
    @people_blp.response(200, SupervisionPersonSchema)
    def patch(self, data, person_id):
        """Sửa thông tin (hoặc đưa ra khỏi danh sách bằng `is_active: false`)

        Cần tiêu đề If-Match với ETag vừa đọc: thiếu thì 428, đã cũ thì 412.
        """
        session = tenant_session()
        person = queries.get_person(session, person_id, current_principal())
        people_blp.check_etag(person, SupervisionPersonSchema)
        return operations.update_person(session, current_principal(), person.id, **data)


@people_blp.route("/<int:person_id>/overview")
class PersonOverview(MethodView):
    @people_blp.response(200, SupervisionPersonOverviewSchema)
    def get(self, person_id):
        """Tổng hợp về một người

        Phân công, hoạt động giám sát, ý kiến góp ý, kiến nghị và các hồ sơ phản ánh nêu tên
        người này (chỉ thông tin hồ sơ, không bao giờ có danh tính người gửi).
        """
        return queries.person_overview(tenant_session(), person_id, current_principal())


@people_blp.route("/import/preview")
class PeopleImportPreview(MethodView):
    @people_blp.arguments(SupervisionImportFileSchema, location="files")
    @people_blp.arguments(SupervisionImportArgsSchema, location="query")
    @people_blp.response(200, SupervisionImportPreviewSchema)
    def post(self, files, args):
        """Xem trước tệp danh sách (multipart/form-data, trường `file`; `?unit_id=`)

        Không ghi gì. Trả các dòng đọc được và lỗi từng dòng (“Dòng 7: …”). Tệp không đọc được
        (không phải .xlsx, trống, sai cột) trả 422 với một thông báo.
        """
        return xlsx.preview_people_import(
            tenant_session(),
            current_principal(),
            unit_id=args["unit_id"],
            fileobj=files["file"].stream,
            filename=files["file"].filename,
        )


@people_blp.route("/import")
class PeopleImport(MethodView):
    @people_blp.arguments(SupervisionImportFileSchema, location="files")
    @people_blp.arguments(SupervisionImportArgsSchema, location="query")
    @people_blp.response(201, SupervisionImportResultSchema)
    def post(self, files, args):
        """Nhập tệp danh sách: tất cả hoặc không người nào

        Có dòng lỗi thì 422, `errors.json.file` liệt kê từng lỗi và không nhập người nào.
        """
        people = xlsx.import_people(
            tenant_session(),
            current_principal(),
            unit_id=args["unit_id"],
            fileobj=files["file"].stream,
            filename=files["file"].filename,
        )
        return {"imported": len(people), "ids": [p.id for p in people]}


@people_blp.route("/export")
class PeopleExport(MethodView):
    @people_blp.arguments(SupervisionExportQueryArgsSchema, location="query")
    @people_blp.response(200, _XLSX_DOC, content_type=xlsx.XLSX_MIMETYPE)
    def get(self, args):
        """Xuất danh sách ra Excel, cùng mẫu cột với tệp nhập"""
        data = xlsx.export_people(tenant_session(), current_principal(), **args)
        return _xlsx_response(data, "danh-sach-doi-tuong-giam-sat.xlsx")


@people_blp.route("/import/template")
class PeopleImportTemplate(MethodView):
    @people_blp.response(200, _XLSX_DOC, content_type=xlsx.XLSX_MIMETYPE)
    def get(self):
        """Tệp mẫu để điền danh sách (có hướng dẫn và danh sách chọn)"""
        return _xlsx_response(xlsx.template_workbook(), "mau-danh-sach-doi-tuong-giam-sat.xlsx")
