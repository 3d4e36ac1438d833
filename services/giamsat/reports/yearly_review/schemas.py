"""API schemas of the yearly review: output, create, update and query arguments kept apart.
Types only; the rules and their Vietnamese messages live in `operations` and `sections`."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.reports.yearly_review.models import ReviewStatus

_FIGURES_DOC = {
    "description": "{current: {mã: số}, previous: {mã: số}}: năm đánh giá và năm trước, tính từ "
    "hồ sơ (kế hoạch, kiến nghị, đối thoại, tiếp nhận, chuyển xử lý). Không có thông tin người gửi."
}


class ReviewSectionSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    guidance = fields.String(dump_only=True)
    sort_order = fields.Integer(dump_only=True)
    is_active = fields.Boolean(dump_only=True)


class YearlyReviewTextSchema(ma.Schema):
    section_id = fields.Integer(dump_only=True)
    section_title = fields.String(dump_only=True)
    content = fields.String(dump_only=True)


class ReviewSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    year = fields.Integer(dump_only=True)
    status = fields.Enum(ReviewStatus, by_value=True, dump_only=True)
    figures = fields.Dict(dump_only=True, metadata=_FIGURES_DOC)
    figures_at = fields.DateTime(dump_only=True, allow_none=True)
    submitted_at = fields.DateTime(dump_only=True, allow_none=True)
    texts = fields.List(fields.Nested(YearlyReviewTextSchema), dump_only=True)
    version = fields.Integer(dump_only=True)


class ReviewCreateSchema(ma.Schema):
    unit_id = fields.Integer(required=True)
    year = fields.Integer(required=True)


class ReviewUpdateSchema(ma.Schema):
    texts = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "{mã mục (section id): nội dung}."},
    )
    version = fields.Integer(load_default=None, allow_none=True)


class ReviewActionSchema(ma.Schema):
    version = fields.Integer(load_default=None, allow_none=True)


class ReviewRollUpArgsSchema(ma.Schema):
    unit_id = fields.Integer(required=True)
    year = fields.Integer(required=True)


class ReviewRolledUnitSchema(ma.Schema):
    unit_id = fields.Function(lambda rolled: rolled.unit.id)
    unit_name = fields.Function(lambda rolled: rolled.unit.name)
    status = fields.String()
    review_id = fields.Function(lambda rolled: rolled.review.id if rolled.review else None)


class ReviewRollUpSchema(ma.Schema):
    unit_id = fields.Function(lambda rollup: rollup.unit.id)
    year = fields.Integer()
    current = fields.Dict(metadata={"description": "Tổng số liệu các bản đánh giá đã gửi."})
    previous = fields.Dict()
    units = fields.List(fields.Nested(ReviewRolledUnitSchema))
    narratives = fields.Function(
        lambda rollup: [
            {
                "title": title,
                "entries": [{"unit_name": name, "content": text} for name, text in entries],
            }
            for title, entries in rollup.narratives.items()
        ]
    )
