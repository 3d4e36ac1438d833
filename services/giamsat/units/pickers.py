"""Units as people pick them: Vietnamese dictionary order, tidy names, level by level."""

from __future__ import annotations

from collections.abc import Iterable

from giamsat.core.vietnamese import matches, normalise_spaces, sort_key
from giamsat.units.models import Unit


def picker_label(unit: Unit) -> str:
    """The unit's name with its spaces tidied ("Xã  Xuân Giang" → "Xã Xuân Giang")."""
    return normalise_spaces(unit.name)


def _ids(unit: Unit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def picker_order(units: Iterable[Unit]) -> list[Unit]:
    """Higher units first, then each level in Vietnamese dictionary order of the name."""
    return sorted(units, key=lambda u: (len(_ids(u)), sort_key(u.name), u.id))


def tree_order(units: Iterable[Unit]) -> list[Unit]:
    """Each unit under its parent, brothers in Vietnamese dictionary order (for an indented
    list): the key is the names of the unit's listed ancestors, top first."""
    units = list(units)
    names = {u.id: u.name for u in units}

    def key(unit: Unit) -> tuple:
        return tuple((sort_key(names[i]), i) for i in _ids(unit) if i in names)

    return sorted(units, key=key)


def search_units(units: Iterable[Unit], query: str | None) -> list[Unit]:
    """The units whose name holds every word of `query`, accents and case ignored."""
    return [u for u in units if matches(query, u.name)]
