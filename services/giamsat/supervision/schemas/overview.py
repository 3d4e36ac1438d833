"""API schema of a person's overview: everything about them, cases without who reported."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.supervision.schemas.activities import (
    SupervisionActivitySummarySchema,
    SupervisionCommentSchema,
)
from giamsat.supervision.schemas.assignments import SupervisionAssignmentSchema
from giamsat.supervision.schemas.people import SupervisionPersonSchema
from giamsat.supervision.schemas.recommendations import SupervisionRecommendationSchema


class SupervisionCaseMentionSchema(ma.Schema):
    """A case about the person: case fields only, never who reported it."""

    id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    received_on = fields.Date(dump_only=True)
    title = fields.String(dump_only=True)
    status = fields.Function(lambda c: c.status.value, dump_only=True)
    due_on = fields.Date(dump_only=True, allow_none=True)


class SupervisionPersonOverviewSchema(ma.Schema):
    person = fields.Nested(SupervisionPersonSchema, dump_only=True)
    assignments = fields.List(fields.Nested(SupervisionAssignmentSchema), dump_only=True)
    activities = fields.List(fields.Nested(SupervisionActivitySummarySchema), dump_only=True)
    comments = fields.List(fields.Nested(SupervisionCommentSchema), dump_only=True)
    recommendations = fields.List(fields.Nested(SupervisionRecommendationSchema), dump_only=True)
    cases = fields.List(fields.Nested(SupervisionCaseMentionSchema), dump_only=True)
