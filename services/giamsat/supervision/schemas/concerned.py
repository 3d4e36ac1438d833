"""API schemas of the people a case concerns: links, proposals, and a person's cases."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.supervision.labels import PROPOSAL_REASON_LABELS, vietnamese
from giamsat.supervision.schemas.people import (
    SupervisionPersonCreateSchema,
    SupervisionPersonSchema,
)

_REASONS = vietnamese(PROPOSAL_REASON_LABELS)
_IDS = ma.validate.Range(min=1, error="Mã số phải là số nguyên dương.")


class CasePersonLinkSchema(ma.Schema):
    """A person linked to the case. `person` is absent when it is on a register the caller
    does not see (a higher unit's)."""

    person_id = fields.Method("_person_id", dump_only=True, allow_none=True)
    person = fields.Method("_person", dump_only=True, allow_none=True)
    confirmed_by = fields.Function(lambda lp: lp.link.confirmed_by_label, dump_only=True)
    confirmed_at = fields.Function(lambda lp: lp.link.confirmed_at.isoformat(), dump_only=True)
    how = fields.Function(lambda lp: lp.link.how, dump_only=True)

    def _person_id(self, lp):
        return lp.link.person_id if lp.visible else None

    def _person(self, lp):
        return SupervisionPersonSchema().dump(lp.person) if lp.visible else None


class CasePersonProposalSchema(ma.Schema):
    person = fields.Nested(SupervisionPersonSchema, dump_only=True)
    reasons = fields.List(fields.String(), dump_only=True)
    reason_labels = fields.Function(lambda p: [_REASONS[r] for r in p.reasons], dump_only=True)
    score = fields.Integer(dump_only=True)


class CaseNameGuessSchema(ma.Schema):
    full_name = fields.String(dump_only=True)
    position = fields.String(dump_only=True)


class CasePeopleSchema(ma.Schema):
    linked = fields.List(fields.Nested(CasePersonLinkSchema), dump_only=True)
    proposals = fields.List(
        fields.Nested(CasePersonProposalSchema),
        dump_only=True,
        metadata={"description": "Chỉ là gợi ý: không gắn ai khi chưa có người xác nhận."},
    )
    names_in_text = fields.List(fields.Nested(CaseNameGuessSchema), dump_only=True)


class CasePersonLinkCreateSchema(ma.Schema):
    person_id = fields.Integer(
        required=True, strict=True, validate=_IDS, metadata={"description": "Người trong sổ."}
    )
    how = fields.String(
        load_default="proposal",
        validate=ma.validate.OneOf(("proposal", "search")),
        metadata={"description": "`proposal`: xác nhận gợi ý; `search`: người tìm thấy."},
    )


class CasePersonNewSchema(SupervisionPersonCreateSchema):
    """A new person for a register, linked to the case at once."""

    unit_id = fields.Integer(
        required=True, strict=True, validate=_IDS, metadata={"description": "Đơn vị có sổ."}
    )


class PersonCaseSchema(ma.Schema):
    """A case about the person: case fields only, never who reported it or how."""

    id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    unit_name = fields.Function(lambda c: c.unit.name, dump_only=True)
    received_on = fields.Date(dump_only=True)
    title = fields.String(dump_only=True)
    status = fields.Function(lambda c: c.status.value, dump_only=True)
    due_on = fields.Date(dump_only=True, allow_none=True)
