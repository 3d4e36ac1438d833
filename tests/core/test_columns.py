"""Save-time length checks derived from the column types: a ValidationFailed on the attribute
before PostgreSQL refuses the row."""

from __future__ import annotations

import pytest

from giamsat.core.columns import TooLong
from giamsat.units.models import Organization


def test_a_string_longer_than_its_column_names_the_attribute(tenant_session):
    session = tenant_session("alpha")
    session.add(Organization(code="x" * 41, name="Hội", short_name="H" * 61, sort_order=9))
    with pytest.raises(TooLong) as raised:
        session.flush()
    assert raised.value.status == 422
    assert set(raised.value.errors) == {"code", "short_name"}
    assert "Dài quá 40 ký tự" in raised.value.errors["code"][0]
    session.rollback()


def test_strings_within_their_columns_and_updates_are_checked_alike(tenant_session, world):
    session = tenant_session("alpha")
    org = Organization(code="x" * 40, name="Hội", short_name="H", sort_order=9)
    session.add(org)
    session.flush()  # exactly the column's length: fine
    org.name = "n" * 201
    with pytest.raises(TooLong) as raised:
        session.flush()
    assert set(raised.value.errors) == {"name"}
    session.rollback()
