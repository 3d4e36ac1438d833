"""Field makers every supervision API schema uses. The schemas check types only; every rule
lives in `operations` with its Vietnamese message."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.supervision.labels import vietnamese


def enum_field(cls, labels, description, **kwargs):
    """An enum given by value, its values and labels listed in the docs. The API speaks
    Vietnamese whatever the caller's page language, in its labels and docs alike."""
    labels = vietnamese(labels)
    doc = description + " " + "; ".join(f"`{m.value}` = {labels[m]}" for m in cls) + "."
    return fields.Enum(cls, by_value=True, metadata={"description": doc}, **kwargs)


def label_field(attr, labels):
    """The Vietnamese label of the enum in `attr`, for display (e.g. `tier_label`)."""
    labels = vietnamese(labels)
    return fields.Function(lambda obj: labels[getattr(obj, attr)], dump_only=True)


def text_field(description: str, **kwargs):
    return fields.String(metadata={"description": description}, **kwargs)


class UnitScopeArgs(ma.Schema):
    """Query arguments of every list: one visible unit, with or without its subtree."""

    unit_id = fields.Integer(
        metadata={"description": "Chỉ lấy của đơn vị này (ngoài phạm vi: 404)."}
    )
    subtree = fields.Boolean(
        load_default=True, metadata={"description": "Gồm cả các đơn vị trực thuộc (mặc định có)."}
    )


def tags_input():
    """Catalogue codes of a finding (e.g. `DD-7`): the cases' classification catalogue,
    `GET categories`; an unknown or inactive code is a 422 on `tags`."""
    return fields.List(
        fields.String(),
        load_default=list,
        data_key="tags",
        attribute="tag_codes",
        metadata={"description": "Mã phân loại (danh mục chung với hồ sơ), ví dụ `DD-7`."},
    )


def tags_output():
    return fields.Function(lambda finding: [t.code for t in finding.tags], dump_only=True)


class TagsSchema(ma.Schema):
    """The whole new set of tags of a finding (an empty list removes them all)."""

    tags = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Mã phân loại (danh mục chung với hồ sơ), ví dụ `DD-7`."},
    )
