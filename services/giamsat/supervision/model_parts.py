"""What the supervision models share: enum columns and the tag tables of findings."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Table
from sqlalchemy.orm import relationship

from giamsat.cases.models import ClassificationCategory
from giamsat.core.db import TenantBase, string_enum


def enum_type(cls, name):
    return string_enum(cls, name, length=40)


def tag_table(name: str, owner: str, owner_table: str) -> Table:
    """Tags of a finding from the cases' classification catalogue (the 27 TW4 manifestations
    and the rest): one catalogue for cases and findings alike, never a second one."""
    return Table(
        name,
        TenantBase.metadata,
        Column(owner, ForeignKey(f"{owner_table}.id", ondelete="CASCADE"), primary_key=True),
        Column(
            "category_id", ForeignKey("classification_categories.id"), primary_key=True, index=True
        ),
    )


def tagged(table: Table):
    """The tags of a finding through its tag table, in the catalogue's order."""
    return relationship(
        ClassificationCategory,
        secondary=table,
        lazy="selectin",
        order_by=ClassificationCategory.sort_order,
    )
