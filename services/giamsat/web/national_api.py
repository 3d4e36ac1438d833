"""The national view over the API: GET /api/v1/platform/national?kind=…&year=…&number=….

Platform accounts have no API tokens: the resource answers the browser session of a signed-in
central or operator account (the page's own data, for scripts run from it), and 404 to anyone
else — a tenant's session or token included."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from giamsat.http.api import API_PREFIX
from giamsat.reports.models import PeriodKind
from giamsat.reports.national.read import KINDS, NUMBERS, NationalView, PeriodKey
from giamsat.web.national import YEARS, read_view
from giamsat.web.platform_access import national_reader_required, platform_gate

blp = Blueprint(
    "platform_national",
    __name__,
    url_prefix=API_PREFIX + "/platform/national",
    description="Tổng hợp toàn quốc (Ủy ban Trung ương MTTQ Việt Nam): số liệu cấp tỉnh, tình "
    "hình nộp báo cáo của từng tỉnh, tổng toàn quốc. Chỉ tài khoản cấp hệ thống đã đăng nhập "
    "ở /platform/login (phiên trình duyệt); mọi tài khoản, mã truy cập của tỉnh nhận 404.",
)


class NationalQueryArgsSchema(ma.Schema):
    kind = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf([k.value for k in KINDS]),
        metadata={"description": "quarterly, six_monthly hoặc yearly."},
    )
    year = ma.fields.Integer(
        required=True, validate=ma.validate.Range(min=YEARS.start, max=YEARS.stop - 1)
    )
    number = ma.fields.Integer(
        load_default=1,
        validate=ma.validate.Range(min=1, max=4),
        metadata={"description": "Quý 1–4; 1 với 6 tháng và năm."},
    )

    @ma.validates_schema
    def _number_fits_kind(self, data, **kwargs):
        most = NUMBERS[PeriodKind(data["kind"])]
        if data.get("number", 1) > most:
            raise ma.ValidationError(f"Từ 1 đến {most} với loại kỳ này.", "number")


class ProvinceCompletenessSchema(ma.Schema):
    expected = ma.fields.Integer()
    submitted = ma.fields.Integer()
    on_time = ma.fields.Integer()
    late = ma.fields.Integer()
    accepted = ma.fields.Integer()
    pending = ma.fields.Integer(metadata={"description": "Chưa nộp, chưa đến hạn."})
    missing = ma.fields.Integer(metadata={"description": "Chưa nộp, đã quá hạn."})
    province_status = ma.fields.String(
        metadata={"description": "Báo cáo của chính tỉnh: trạng thái, hoặc `missing`."}
    )
    province_is_late = ma.fields.Boolean()


FIGURES = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


class NationalProvinceSchema(ma.Schema):
    slug = ma.fields.String()
    name = ma.fields.String()
    province_code = ma.fields.Integer()
    is_active = ma.fields.Boolean()
    has_period = ma.fields.Boolean()
    due_on = ma.fields.Date(allow_none=True)
    completeness = ma.fields.Nested(ProvinceCompletenessSchema, allow_none=True)
    figures = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    by_organization = ma.fields.Dict(keys=ma.fields.String(), values=FIGURES)
    computed_at = ma.fields.DateTime(allow_none=True)


class NationalSchema(ma.Schema):
    kind = ma.fields.Function(lambda v: v.period.kind.value)
    year = ma.fields.Function(lambda v: v.period.year)
    number = ma.fields.Function(lambda v: v.period.number)
    title = ma.fields.String()
    today = ma.fields.Date()
    totals = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    by_organization = ma.fields.Dict(keys=ma.fields.String(), values=FIGURES)
    organizations = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    completeness = ma.fields.Nested(ProvinceCompletenessSchema)
    provinces = ma.fields.List(ma.fields.Nested(NationalProvinceSchema))
    ranking = ma.fields.Function(
        lambda v: [p.slug for p in v.ranking],
        metadata={
            "description": "Mã các tỉnh có đơn vị nộp muộn hoặc quá hạn chưa nộp, xếp "
            "từ nhiều đơn vị quá hạn nhất."
        },
    )


@blp.route("")
class National(MethodView):
    # Who asks is checked before the query string: a stranger gets 404, never a 422.
    decorators = [platform_gate(lambda account: account.reads_national_view)]

    @blp.arguments(NationalQueryArgsSchema, location="query")
    @blp.response(200, NationalSchema)
    @blp.alt_response(404, description="Không phải tài khoản cấp hệ thống đã đăng nhập.")
    def get(self, args) -> NationalView:
        """Tổng hợp toàn quốc của một kỳ báo cáo

        Với mỗi tỉnh: số liệu tổng hợp cấp tỉnh (cả Mặt trận và theo từng tổ chức), số đơn vị
        phải báo cáo / đã nộp / đã tiếp nhận, đúng hạn / muộn / quá hạn chưa nộp; tổng toàn
        quốc; xếp hạng các tỉnh còn chậm. Không có hồ sơ hay thông tin người nào.
        """
        return _read(PeriodKey(PeriodKind(args["kind"]), args["year"], args["number"]))


@national_reader_required
def _read(shared, key: PeriodKey) -> NationalView:
    return read_view(shared, key)
