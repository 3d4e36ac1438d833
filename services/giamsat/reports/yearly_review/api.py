"""REST resources of the yearly review: open (or refresh) a unit's draft, edit its sections,
submit it, read a parent's roll-up, and the province's list of sections."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from giamsat.core.errors import ValidationFailed
from giamsat.http.api import TenantBlueprint, current_principal, tenant_session
from giamsat.reports.yearly_review import operations, queries, sections
from giamsat.reports.yearly_review.schemas import (
    ReviewActionSchema,
    ReviewCreateSchema,
    ReviewRollUpArgsSchema,
    ReviewRollUpSchema,
    ReviewSchema,
    ReviewSectionSchema,
    ReviewUpdateSchema,
)

blp = TenantBlueprint(
    "yearly_reviews",
    __name__,
    "/yearly-reviews",
    description="Đánh giá kết quả thực hiện Chương trình phối hợp hằng năm: dự thảo điền sẵn "
    "số liệu, các mục nội dung tỉnh yêu cầu, gửi cấp trên, tổng hợp.",
)


@blp.route("")
class Reviews(MethodView):
    @blp.arguments(ReviewCreateSchema)
    @blp.response(201, ReviewSchema)
    def post(self, data):
        """Lập (hoặc cập nhật số liệu) bản đánh giá năm của một đơn vị

        201 khi lập mới; 200 khi đã có (dự thảo được cập nhật số liệu mới nhất).
        """
        review, created = operations.open_review(tenant_session(), current_principal(), **data)
        location = {"Location": url_for("yearly_reviews.ReviewById", review_id=review.id)}
        return review, (201 if created else 200), location


@blp.route("/<int:review_id>")
class ReviewById(MethodView):
    @blp.response(200, ReviewSchema)
    def get(self, review_id):
        """Một bản đánh giá năm"""
        return queries.get_review(tenant_session(), current_principal(), review_id)

    @blp.arguments(ReviewUpdateSchema)
    @blp.response(200, ReviewSchema)
    def patch(self, data, review_id):
        """Viết, sửa nội dung các mục của dự thảo

        Đã gửi thì không sửa được (409); mục không có hoặc quá dài: 422, lỗi theo từng mục.
        """
        texts: dict[int, str] = {}
        for key, value in data["texts"].items():
            if not key.isdigit():
                raise ValidationFailed(
                    "Mã mục phải là số (xem /yearly-reviews/sections).", field=f"section-{key}"
                )
            texts[int(key)] = value
        return operations.update_review(
            tenant_session(), current_principal(), review_id, texts=texts, version=data["version"]
        )


@blp.route("/<int:review_id>/submit")
class ReviewSubmit(MethodView):
    @blp.arguments(ReviewActionSchema)
    @blp.response(200, ReviewSchema)
    def post(self, data, review_id):
        """Gửi bản đánh giá lên cấp trên

        Mọi mục tỉnh yêu cầu phải có nội dung (422, lỗi theo từng mục).
        """
        return operations.submit_review(tenant_session(), current_principal(), review_id, **data)


@blp.route("/rollup")
class ReviewRollUp(MethodView):
    @blp.arguments(ReviewRollUpArgsSchema, location="query")
    @blp.response(200, ReviewRollUpSchema)
    def get(self, args):
        """Tổng hợp các bản đánh giá đã gửi của một đơn vị và các đơn vị trực thuộc"""
        return queries.build_rollup(
            tenant_session(), current_principal(), args["unit_id"], args["year"]
        )


@blp.route("/sections")
class ReviewSections(MethodView):
    @blp.response(200, ReviewSectionSchema(many=True))
    def get(self):
        """Các mục nội dung tỉnh yêu cầu trong bản đánh giá năm (đang dùng)"""
        return sections.list_sections(tenant_session())


BLUEPRINTS = (blp,)
