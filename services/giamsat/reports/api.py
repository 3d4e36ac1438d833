"""REST resources of reports: periods (and ad hoc requests), indicators, figures,
consolidation, completeness, and reports with their submission workflow."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_smorest import Page

from giamsat.core.errors import Conflict
from giamsat.http.api import (
    SelectPage,
    TenantBlueprint,
    current_principal,
    tenant_session,
)
from giamsat.reports import operations, queries
from giamsat.reports.schemas import (
    ActionSchema,
    AdHocRequestSchema,
    CompletenessQueryArgsSchema,
    CompletenessReportSchema,
    ConsolidationSchema,
    CurrentTreeSchema,
    FiguresQueryArgsSchema,
    FiguresSchema,
    IndicatorSchema,
    PeriodQueryArgsSchema,
    PeriodSchema,
    ReportCreateSchema,
    ReportQueryArgsSchema,
    ReportSchema,
    ReportUpdateSchema,
    ReturnSchema,
)

periods_blp = TenantBlueprint(
    "report_periods",
    __name__,
    "/report-periods",
    description="Kỳ báo cáo (quý, 6 tháng, năm, đột xuất), số liệu và tổng hợp theo kỳ.",
)
reports_blp = TenantBlueprint(
    "reports",
    __name__,
    "/reports",
    description="Báo cáo kết quả giám sát: lập, gửi, trả lại, tiếp nhận.",
)
indicators_blp = TenantBlueprint(
    "report_indicators",
    __name__,
    "/report-indicators",
    description="Danh mục chỉ tiêu báo cáo và cách tính từng chỉ tiêu.",
)

BLUEPRINTS = (periods_blp, reports_blp, indicators_blp)


@periods_blp.route("")
class Periods(MethodView):
    @periods_blp.arguments(PeriodQueryArgsSchema, location="query")
    @periods_blp.response(200, PeriodSchema(many=True))
    @periods_blp.paginate(Page)
    def get(self, args):
        """Các kỳ báo cáo

        Kỳ đột xuất chỉ hiện với đơn vị yêu cầu, cấp trên và cấp dưới của đơn vị đó.
        """
        return queries.list_periods(tenant_session(), principal=current_principal(), **args)

    @periods_blp.arguments(AdHocRequestSchema)
    @periods_blp.response(201, PeriodSchema)
    def post(self, data):
        """Yêu cầu báo cáo đột xuất

        Đơn vị cấp trên yêu cầu các đơn vị trực thuộc báo cáo theo khoảng thời gian và hạn nộp
        riêng. Cần vai trò lãnh đạo hoặc quản trị tại đơn vị yêu cầu (403).
        """
        period = operations.request_ad_hoc_report(tenant_session(), current_principal(), **data)
        return period, {"Location": url_for("report_periods.PeriodById", period_id=period.id)}


@periods_blp.route("/<int:period_id>")
class PeriodById(MethodView):
    @periods_blp.response(200, PeriodSchema)
    def get(self, period_id):
        """Một kỳ báo cáo"""
        return queries.get_period(tenant_session(), period_id, current_principal())


@periods_blp.route("/<int:period_id>/units/<int:unit_id>/figures")
class UnitFigures(MethodView):
    @periods_blp.arguments(FiguresQueryArgsSchema, location="query")
    @periods_blp.response(200, FiguresSchema)
    def get(self, args, period_id, unit_id):
        """Số liệu tính từ hồ sơ của một đơn vị trong kỳ

        `own`: hồ sơ của chính đơn vị; `consolidated`: cộng cả các đơn vị trực thuộc (theo cây
        đơn vị tại ngày cuối kỳ). Không có thông tin nào về người gửi.
        """
        session = tenant_session()
        queries.get_period(session, period_id, current_principal())
        return queries.get_figures(
            session,
            current_principal(),
            period_id=period_id,
            unit_id=unit_id,
            organization_id=args["organization_id"],
        )


@periods_blp.route("/<int:period_id>/units/<int:unit_id>/consolidation")
class UnitConsolidation(MethodView):
    @periods_blp.arguments(FiguresQueryArgsSchema, location="query")
    @periods_blp.response(200, ConsolidationSchema)
    def get(self, args, period_id, unit_id):
        """Tổng hợp báo cáo của các đơn vị trực thuộc

        Đơn vị đã gửi: dùng số liệu báo cáo (`source` = report). Đơn vị chưa gửi: dùng số liệu
        tính từ hồ sơ, đánh dấu `source` = live.
        """
        session = tenant_session()
        queries.get_period(session, period_id, current_principal())
        return queries.consolidation(
            session,
            current_principal(),
            period_id=period_id,
            unit_id=unit_id,
            organization_id=args["organization_id"],
        )


@periods_blp.route("/<int:period_id>/units/<int:unit_id>/current-tree")
class UnitCurrentTree(MethodView):
    @periods_blp.arguments(FiguresQueryArgsSchema, location="query")
    @periods_blp.response(200, CurrentTreeSchema)
    def get(self, args, period_id, unit_id):
        """Số liệu của kỳ theo cây đơn vị hiện nay

        Hồ sơ của kỳ (kể cả kỳ trước 01/7/2025) cộng theo đơn vị đang tồn tại: số liệu của xã
        cũ hiện dưới xã/phường kế thừa chính (một lần). Tính khi đọc; không có thông tin nào
        về người gửi.
        """
        return queries.current_tree_view(
            tenant_session(),
            current_principal(),
            period_id=period_id,
            unit_id=unit_id,
            organization_id=args["organization_id"],
        )


@periods_blp.route("/<int:period_id>/completeness")
class PeriodCompleteness(MethodView):
    @periods_blp.arguments(CompletenessQueryArgsSchema, location="query")
    @periods_blp.response(200, CompletenessReportSchema)
    def get(self, args, period_id):
        """Tình hình nộp báo cáo dưới một đơn vị

        Số báo cáo phải nộp, đã nộp, đúng hạn, muộn, còn thiếu; kèm từng đơn vị trực thuộc.
        """
        session, principal = tenant_session(), current_principal()
        queries.get_period(session, period_id, principal)
        summary = queries.completeness(
            session, principal, unit_id=args["unit_id"], period_ids=[period_id]
        )
        children = queries.completeness_by_child(
            session, principal, unit_id=args["unit_id"], period_id=period_id
        )
        return {"summary": summary[0], "children": children}


@indicators_blp.route("")
class Indicators(MethodView):
    @indicators_blp.response(200, IndicatorSchema(many=True))
    @indicators_blp.paginate(Page)
    def get(self):
        """Danh mục chỉ tiêu, theo thứ tự trong báo cáo"""
        return queries.list_indicators(tenant_session())


@reports_blp.route("")
class Reports(MethodView):
    @reports_blp.arguments(ReportQueryArgsSchema, location="query")
    @reports_blp.response(200, ReportSchema(many=True))
    @reports_blp.paginate(SelectPage)
    def get(self, args):
        """Báo cáo của các đơn vị trong phạm vi được xem"""
        return queries.reports_query(current_principal(), **args)

    @reports_blp.arguments(ReportCreateSchema)
    @reports_blp.response(201, ReportSchema)
    def post(self, data):
        """Lập báo cáo (dự thảo) cho một đơn vị và một kỳ

        Dự thảo được điền sẵn số liệu tổng hợp; báo cáo đã có thì trả 409.
        """
        report, created = operations.open_report(tenant_session(), current_principal(), **data)
        if not created:
            raise Conflict(f"Đơn vị đã có báo cáo cho kỳ này (mã {report.id}).", field="period_id")
        return report, {"Location": url_for("reports.ReportById", report_id=report.id)}


def _report(report_id):
    return queries.get_report(tenant_session(), current_principal(), report_id)


@reports_blp.route("/<int:report_id>")
class ReportById(MethodView):
    @reports_blp.etag
    @reports_blp.response(200, ReportSchema)
    def get(self, report_id):
        """Một báo cáo

        Trả về tiêu đề ETag, dùng làm If-Match khi sửa, gửi, trả lại, tiếp nhận.
        """
        return _report(report_id)

    @reports_blp.etag
    @reports_blp.arguments(ReportUpdateSchema)
    @reports_blp.response(200, ReportSchema)
    def patch(self, data, report_id):
        """Sửa dự thảo: các mục nội dung, số liệu (nhập tay được đánh dấu), phần đầu văn bản

        Báo cáo đã gửi hoặc đã tiếp nhận không sửa được (409).
        """
        reports_blp.check_etag(_report(report_id), ReportSchema)
        return operations.update_report(tenant_session(), current_principal(), report_id, **data)


def _action(name: str, doc: str, schema=ActionSchema):
    """A workflow step as POST; `version` in the body guards against acting on a stale read."""

    def view(self, data, report_id):
        return getattr(operations, name)(tenant_session(), current_principal(), report_id, **data)

    view.__doc__ = doc
    return reports_blp.arguments(schema)(reports_blp.response(200, ReportSchema)(view))


@reports_blp.route("/<int:report_id>/refresh")
class ReportRefresh(MethodView):
    post = _action(
        "refresh_report",
        "Cập nhật số liệu mới nhất vào dự thảo\n\nSố liệu nhập tay được giữ nguyên.",
    )


@reports_blp.route("/<int:report_id>/submit")
class ReportSubmit(MethodView):
    post = _action(
        "submit_report",
        "Gửi báo cáo lên cấp trên\n\n"
        "Đúng hạn hay muộn tính theo lần gửi đầu tiên so với hạn nộp của kỳ.",
    )


@reports_blp.route("/<int:report_id>/return")
class ReportReturn(MethodView):
    post = _action("return_report", "Trả lại báo cáo (cấp trên), ghi rõ lý do", ReturnSchema)


@reports_blp.route("/<int:report_id>/accept")
class ReportAccept(MethodView):
    post = _action(
        "accept_report", "Tiếp nhận báo cáo (cấp trên)\n\nBáo cáo được cố định, không sửa được nữa."
    )
