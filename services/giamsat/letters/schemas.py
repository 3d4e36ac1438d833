"""API schemas of boxes, openings and letters (output, input and query arguments apart)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from giamsat.http.cursors import KEY_ID, CursorField
from giamsat.letters.models import BoxStatus, OcrStatus, SealCondition


def _values(enum) -> list[str]:
    return [m.value for m in enum]


class BoxSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True, metadata={"description": "Khu dân cư đặt hòm thư."})
    label_code = fields.String(dump_only=True)
    location = fields.String(dump_only=True)
    keeper = fields.String(dump_only=True)
    installed_on = fields.Date(dump_only=True)
    status = fields.Function(
        lambda b: b.status.value, dump_only=True, metadata={"enum": _values(BoxStatus)}
    )
    notes = fields.String(dump_only=True)


class BoxCreateSchema(ma.Schema):
    area_id = fields.Integer(required=True, metadata={"description": "Khu dân cư."})
    location = fields.String(required=True)
    installed_on = fields.Date(required=True)
    keeper = fields.String(
        load_default=None,
        metadata={
            "description": "Họ tên người giữ hòm thư và chìa khóa (quy định `box_key_holder` "
            "của tỉnh nói đó là ai); biên bản mở hòm thư ghi tên người này."
        },
    )
    label_code = fields.String(load_default=None)
    notes = fields.String(load_default="")


class BoxUpdateSchema(ma.Schema):
    location = fields.String()
    keeper = fields.String()
    installed_on = fields.Date()
    status = fields.String(validate=validate.OneOf(_values(BoxStatus)))
    notes = fields.String()


class BoxQueryArgsSchema(ma.Schema):
    unit_id = fields.Integer(metadata={"description": "Xã/phường hoặc khu dân cư."})
    status = fields.String(validate=validate.OneOf(_values(BoxStatus)))


class WitnessSchema(ma.Schema):
    name = fields.String(required=True)
    role = fields.String(load_default="")


class OpeningSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    box_id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    opened_at = fields.AwareDateTime(dump_only=True)
    witnesses = fields.List(fields.Nested(WitnessSchema), dump_only=True)
    seal_condition = fields.Function(
        lambda o: o.seal_condition.value, dump_only=True, metadata={"enum": _values(SealCondition)}
    )
    letters_found = fields.Integer(dump_only=True)
    notes = fields.String(dump_only=True)
    has_minutes = fields.Function(lambda o: o.minutes_key is not None, dump_only=True)


class OpeningCreateSchema(ma.Schema):
    opened_at = fields.DateTime(
        required=True,
        metadata={"description": "Ngày giờ mở; không ghi múi giờ thì hiểu là giờ Việt Nam."},
    )
    witnesses = fields.List(fields.Nested(WitnessSchema), load_default=list)
    seal_condition = fields.String(required=True, validate=validate.OneOf(_values(SealCondition)))
    letters_found = fields.Integer(required=True, validate=validate.Range(min=0))
    notes = fields.String(load_default="")
    with_minutes = fields.Boolean(load_default=True)


class PageSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    page_number = fields.Integer(dump_only=True)
    text = fields.String(dump_only=True, allow_none=True)
    width = fields.Integer(dump_only=True, allow_none=True)
    height = fields.Integer(dump_only=True, allow_none=True)
    dpi = fields.Integer(dump_only=True, allow_none=True)
    has_thumbnail = fields.Function(lambda p: p.thumbnail_key is not None, dump_only=True)


class FileSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    position = fields.Integer(dump_only=True)
    original_name = fields.String(dump_only=True)
    content_type = fields.String(dump_only=True)
    size = fields.Integer(dump_only=True)
    sha256 = fields.String(dump_only=True)
    page_count = fields.Integer(dump_only=True)
    pages = fields.List(fields.Nested(PageSchema), dump_only=True)


class LetterSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    opening_id = fields.Integer(dump_only=True)
    box_id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    case_id = fields.Integer(dump_only=True)
    version = fields.Integer(dump_only=True)
    replaces_id = fields.Integer(dump_only=True, allow_none=True)
    ocr_status = fields.Function(
        lambda x: x.ocr_status.value, dump_only=True, metadata={"enum": _values(OcrStatus)}
    )
    ocr_error = fields.String(dump_only=True, allow_none=True)
    files = fields.List(fields.Nested(FileSchema), dump_only=True)


class LetterQueryArgsSchema(ma.Schema):
    after = CursorField(KEY_ID)
    opening_id = fields.Integer()
    case_id = fields.Integer()
    all_versions = fields.Boolean(load_default=False)
