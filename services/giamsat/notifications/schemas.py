"""API schemas of notifications and preferences."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.http.cursors import KEY_TIME_ID, CursorField
from giamsat.notifications.models import EmailMode


class NotificationSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(
        dump_only=True, metadata={"description": "Loại thông báo, ví dụ `case_due_soon`."}
    )
    title = fields.String(dump_only=True, metadata={"description": "Tên của hồ sơ/báo cáo…"})
    text = fields.String(dump_only=True, metadata={"description": "Câu thông báo đầy đủ."})
    params = fields.Dict(dump_only=True)
    unit_id = fields.Integer(dump_only=True, allow_none=True)
    link = fields.String(
        dump_only=True, allow_none=True, metadata={"description": "Đường dẫn trang của đối tượng."}
    )
    created_at = fields.DateTime(dump_only=True)
    read_at = fields.DateTime(dump_only=True, allow_none=True)
    emailed_at = fields.DateTime(dump_only=True, allow_none=True)


class NotificationQueryArgsSchema(ma.Schema):
    after = CursorField(KEY_TIME_ID)
    unread = fields.Boolean(
        load_default=False, metadata={"description": "Chỉ lấy thông báo chưa đọc."}
    )


class UnreadCountSchema(ma.Schema):
    unread = fields.Integer(dump_only=True)


class MarkedSchema(ma.Schema):
    marked = fields.Integer(dump_only=True)


class PreferenceSchema(ma.Schema):
    email_mode = fields.Enum(
        EmailMode,
        by_value=True,
        required=True,
        metadata={
            "description": "`immediate` gửi thư ngay, `daily_digest` gộp một thư mỗi "
            "ngày, `none` không gửi thư."
        },
    )
    email_address = fields.String(
        allow_none=True,
        load_default=None,
        metadata={"description": "Địa chỉ nhận thư thay cho địa chỉ của tài khoản."},
    )
