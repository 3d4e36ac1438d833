"""What the letters pages share: the commune a page is about, role checks, the local rules on
boxes, and streaming stored files."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, current_app, g, render_template, request, stream_with_context
from flask_babel import gettext as _
from sqlalchemy import select

from giamsat.core.errors import Forbidden
from giamsat.core.storage import storage_for
from giamsat.http.pages import tenant_session
from giamsat.http.session import current_principal
from giamsat.letters import operations, queries
from giamsat.letters.labels import FREQUENCY_LABELS
from giamsat.units.models import TenantRule, Unit
from giamsat.units.queries import get_rule, get_unit, list_children

#: The tenant rules on boxes, in the order the register shows them (tenants/README.md).
RULE_KEYS = ("box_opening_frequency", "box_min_witnesses", "box_minutes_required", "box_key_holder")


def storage_down() -> str:
    return _(
        "Kho lưu trữ tệp đang gặp sự cố nên chưa lưu được; chưa có gì được lưu. "
        "Hãy thử lại sau ít phút."
    )


def tenant_storage():
    return storage_for(g.tenant, current_app.config["GIAMSAT"])


def may(unit: Unit, roles) -> bool:
    return current_principal().has_role_over(unit.path, roles)


def require(unit: Unit, roles, message: str) -> None:
    # The operations check this again on POST; here it keeps forms from showing to readers.
    if not may(unit, roles):
        raise Forbidden(message)


def _commune_of(unit: Unit) -> Unit:
    return unit.parent if unit.level.is_residential_area and unit.parent else unit


def _home_units() -> list[Unit]:
    ids = {grant.unit_id for grant in current_principal().grants}
    if not ids:
        return []
    units = tenant_session().scalars(select(Unit).where(Unit.id.in_(ids))).all()
    return sorted(units, key=lambda u: (u.path.count("/"), u.name))


def _chosen_unit() -> Unit | None:
    """`?unit=` (any visible unit), else the user's topmost unit; an area means its commune."""
    chosen = request.args.get("unit", type=int)
    if chosen:
        return _commune_of(get_unit(tenant_session(), chosen, current_principal()))
    homes = _home_units()
    return _commune_of(homes[0]) if homes else None


def _sub_communes(unit: Unit) -> list[Unit]:
    """Units below `unit` that hold residential areas (a province's communes)."""
    session = tenant_session()
    found, queue = [], list_children(session, unit, residential=False)
    while queue:
        child = queue.pop(0)
        if child.level.holds_residential_areas:
            found.append(child)
        else:
            queue.extend(list_children(session, child, residential=False))
    return found


def chosen_commune(target: str) -> tuple[Unit | None, object]:
    """The commune a list page is about, or (None, the page to show instead): nothing to show
    for a user without units, the communes to pick from for a province user."""
    unit = _chosen_unit()
    if unit is None:
        return None, render_template("letters/register.html", unit=None, homes=[])
    if not unit.level.holds_residential_areas:
        return None, render_template(
            "letters/pick_commune.html", unit=unit, communes=_sub_communes(unit), target=target
        )
    return unit, None


def switch_to(unit: Unit) -> int | None:
    """The unit above, when the user may see it (to pick another commune there)."""
    parent = unit.parent
    return parent.id if parent and current_principal().sees_path(parent.path) else None


def local_rules() -> list[dict]:
    """The tenant's rules on suggestion boxes as the operations apply them (their defaults
    when unset), with where each value comes from."""
    session = tenant_session()
    values = {
        "box_opening_frequency": get_rule(
            session, "box_opening_frequency", queries.DEFAULT_FREQUENCY
        ),
        "box_min_witnesses": operations.minimum_witnesses(session),
        "box_minutes_required": operations.minutes_required(session),
        "box_key_holder": get_rule(session, "box_key_holder", operations.DEFAULT_KEY_HOLDER),
    }
    rules = []
    for key in RULE_KEYS:
        row, value = session.get(TenantRule, key), values[key]
        if key == "box_opening_frequency":
            shown = str(FREQUENCY_LABELS.get(value, value))
        elif key == "box_minutes_required":
            shown = _("Bắt buộc lập biên bản") if value else _("Không bắt buộc lập biên bản")
        else:
            shown = str(value)
        rules.append(
            {
                "key": key,
                "value": shown,
                "source": row.source if row is not None and row.source else None,
            }
        )
    return rules


def stream(
    key: str,
    content_type: str,
    filename: str | None,
    *,
    attachment: bool = False,
    size: int | None = None,
):
    reader = tenant_storage().open(key)

    def chunks():
        with reader:
            yield from reader

    response = Response(stream_with_context(chunks()), mimetype=content_type)
    if filename:
        ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "") or "thu"
        kind = "attachment" if attachment else "inline"
        response.headers["Content-Disposition"] = (
            f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
        )
    if size is not None:
        response.headers["Content-Length"] = str(size)
    # Private to this session: no shared cache may keep a letter.
    response.headers["Cache-Control"] = "private, no-store"
    return response
