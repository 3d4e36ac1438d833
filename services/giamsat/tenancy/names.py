"""Validation of tenant slugs and the schema and bucket names derived from them."""

from __future__ import annotations

import re

#: Lowercase ASCII words joined by single hyphens: "ninh-binh", "ha-noi".
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
#: `t_` + the slug with underscores; at most 63 bytes (PostgreSQL's identifier limit).
SCHEMA_PATTERN = re.compile(r"^t_[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 40


class InvalidName(ValueError):
    pass


def validate_slug(slug: str) -> str:
    if not isinstance(slug, str) or len(slug) > MAX_SLUG_LENGTH or not SLUG_PATTERN.match(slug):
        raise InvalidName(f"invalid tenant slug: {slug!r}")
    return slug


def validate_schema_name(name: str) -> str:
    """Every use of a schema name goes through here before it reaches SQL or a translate map."""
    if not isinstance(name, str) or len(name) > 63 or not SCHEMA_PATTERN.match(name):
        raise InvalidName(f"invalid tenant schema name: {name!r}")
    return name


def schema_for(slug: str) -> str:
    return validate_schema_name("t_" + validate_slug(slug).replace("-", "_"))


def bucket_for(slug: str, prefix: str = "giamsat") -> str:
    # S3 bucket names: 3-63 chars of lowercase letters, digits and hyphens.
    return f"{prefix}-{validate_slug(slug)}"
