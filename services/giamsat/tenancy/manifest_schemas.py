"""The manifest's tables as marshmallow schemas: types, patterns and the sentence for each problem.

Each schema checks one table on its own; what spans tables (a unit's level must be one of
`[[levels]]`, a parent must exist) is `manifest.parse_manifest`'s, which also turns marshmallow's
errors into the manifest's "<where> <key> <problem>" lines.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from giamsat.tenancy.names import InvalidName, validate_slug

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
OFFICIAL_CODE_PATTERN = re.compile(r"^[0-9A-Za-z._-]{1,20}$")
#: Where imported official units come from, or "manifest" for units listed in the file only.
SOURCE_OFFICIAL = "vietnam-provinces"
SOURCE_MANIFEST = "manifest"


class Text(fields.String):
    """Non-empty text, white space folded, at most `max_len` characters."""

    def __init__(self, max_len: int = 200, **kwargs: Any):
        super().__init__(
            validate=validate.Length(max=max_len, error=f"must be at most {max_len} characters"),
            error_messages={"invalid": "must be a non-empty text", "required": "is required"},
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs):
        text = " ".join(super()._deserialize(value, attr, data, **kwargs).split())
        if not text:
            raise self.make_error("invalid")
        return text


class StrictBool(fields.Boolean):
    """true or false as TOML writes them, nothing that merely looks like one."""

    def __init__(self, **kwargs: Any):
        super().__init__(error_messages={"invalid": "must be true or false"}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Day(fields.Field):
    """A TOML date (or ISO text); a date-time is not a day."""

    default_error_messages = {"invalid": "must be a date like 2025-07-01"}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.make_error("invalid")


class WholeNumber(fields.Integer):
    def __init__(
        self, message: str, low: int | None = None, high: int | None = None, **kwargs: Any
    ):
        super().__init__(
            strict=True,
            validate=validate.Range(min=low, max=high, error=message),
            error_messages={"invalid": message, "required": message},
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def _code(message: str, pattern: re.Pattern = CODE_PATTERN, **kwargs: Any) -> fields.String:
    return fields.String(
        validate=validate.Regexp(pattern, error=message),
        error_messages={"invalid": message, "required": message},
        **kwargs,
    )


class Table(Schema):
    class Meta:
        unknown = EXCLUDE  # unknown keys get their own message, naming the allowed ones


SLUG_MESSAGE = 'must be lowercase ASCII words joined by hyphens, like "ninh-binh"'


def _slug(value: Any) -> None:
    try:
        validate_slug(value)
    except InvalidName:
        raise ValidationError(SLUG_MESSAGE) from None


class TopSchema(Table):
    """The file's top level; the nested tables are checked by their own schemas."""

    slug = fields.Raw(required=True, validate=_slug, error_messages={"required": SLUG_MESSAGE})
    name = Text(required=True)
    province_code = WholeNumber(
        "must be the official province code, a number like 37", 1, 999, required=True
    )
    status = fields.String(
        validate=validate.OneOf(("active", "suspended"), error='must be "active" or "suspended"'),
        error_messages={"invalid": 'must be "active" or "suspended"'},
    )
    structure = fields.Raw()
    levels = fields.Raw()
    organizations = fields.Raw()
    rules = fields.Raw()
    rule_sources = fields.Raw()
    units = fields.Raw()
    history = fields.Raw()


class StructureSchema(Table):
    source = fields.String(
        validate=validate.OneOf(
            (SOURCE_OFFICIAL, SOURCE_MANIFEST),
            error=f'must be "{SOURCE_OFFICIAL}" or "{SOURCE_MANIFEST}"',
        )
    )
    valid_from = Day()
    province_level = _code('must be a level code like "commune"')
    commune_level = _code('must be a level code like "commune"')


class HistorySchema(Table):
    pre_2025 = StrictBool()


class LevelSchema(Table):
    code = _code('must be lowercase letters, digits and _ (like "district")', required=True)
    rank = WholeNumber("must be a whole number, 0 or more", 0)
    name_vi = Text(max_len=100, required=True)
    name_en = Text(max_len=100, required=True)
    is_residential_area = StrictBool()
    holds_residential_areas = StrictBool()


class OrganizationsSchema(Table):
    enabled = fields.List(
        fields.String(), error_messages={"invalid": "must be a list of organization codes"}
    )
    levels = fields.Dict(
        keys=fields.String(),
        error_messages={"invalid": 'must be a table like { congdoan = ["province"] }'},
    )


class UnitSchema(Table):
    level = fields.Raw()  # one of [[levels]]: checked with them
    code = fields.Raw()  # see _code_is_quoted_text
    name = Text(required=True)
    kind = Text(max_len=40)
    parent_level = fields.String()
    parent = _code("must be the quoted official code of a unit", OFFICIAL_CODE_PATTERN)
    valid_from = Day()
    valid_to = Day()
    successor_level = fields.String()
    successor = _code("must be the quoted official code of a unit", OFFICIAL_CODE_PATTERN)

    @validates_schema(skip_on_field_errors=False)
    def _code_is_quoted_text(self, data: dict, **_: Any) -> None:
        code = data.get("code")
        if isinstance(code, int) and not isinstance(code, bool):
            raise ValidationError(
                f'must be quoted text, like "{code}" (leading zeros matter)', "code"
            )
        if not isinstance(code, str) or not OFFICIAL_CODE_PATTERN.match(code):
            raise ValidationError('(the official code) is required, e.g. "14464"', "code")


def allowed_keys(schema: type[Schema]) -> set[str]:
    return set(schema._declared_fields)


class Problems:
    """Collects every problem instead of stopping at the first, so one run shows them all."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where} {message}" if where else message)

    def load(self, where: str, schema: Schema, raw: Any) -> dict[str, Any] | None:
        """`raw` checked by `schema`: its valid values (None if `raw` is no table), each problem
        recorded as "<where> <key> <problem>"."""
        if not isinstance(raw, dict):
            self.add(where, "must be a table")
            return None
        allowed = allowed_keys(type(schema))
        for key in sorted(set(raw) - allowed):
            self.add(where, f"has an unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")
        try:
            return schema.load(raw)
        except ValidationError as error:
            for key, messages in _flat(error.messages):
                for message in messages:
                    self.add(where, message if key == "_schema" else f"{key} {message}")
            return dict(error.valid_data or {})


def _flat(messages: Any) -> list[tuple[str, list[str]]]:
    if isinstance(messages, list):
        return [("_schema", messages)]
    return [
        (key, value if isinstance(value, list) else [str(value)]) for key, value in messages.items()
    ]
