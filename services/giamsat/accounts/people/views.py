"""Pages of people management: list and search, add, edit, disable/enable, grant/withdraw."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from giamsat.accounts.people import operations
from giamsat.accounts.people.forms import DisableForm, EditPersonForm, GrantFields, PersonForm
from giamsat.accounts.people.queries import get_person, manageable_units, people_query
from giamsat.accounts.people.scope import require_people_manager
from giamsat.accounts.permissions import ROLE_LABELS, all_actions
from giamsat.core import public_address
from giamsat.http.pages import done, form_page, paginate, render_form, tenant_session
from giamsat.http.session import current_principal, current_user, login_required
from giamsat.identity import Role
from giamsat.units.pickers import picker_label, tree_order
from giamsat.units.queries import list_organizations

bp = Blueprint("people_pages", __name__, url_prefix="/t/<tenant>")
#: Pages of this blueprint every signed-in user may read.
OPEN_PAGES = frozenset({"people_pages.role_matrix"})


@bp.before_request
def _managers_only():
    """Every management page refuses staff and readers before its form is read; anonymous
    visitors go on to `login_required`'s redirect."""
    if request.endpoint not in OPEN_PAGES and current_user() is not None:
        require_people_manager(current_principal())


def _settings():
    from flask import current_app

    return current_app.config["GIAMSAT"]


def fill_grant_choices(form: GrantFields) -> None:
    principal = current_principal()
    roles = [r for r in ROLE_LABELS if r != Role.tenant_admin or principal.is_tenant_admin]
    form.role.choices = [SelectChoice(r.value, str(ROLE_LABELS[r])) for r in roles]
    session = tenant_session()
    form.unit_id.choices = [SelectChoice("", _("— Chọn đơn vị —"))] + [
        SelectChoice(str(u.id), "\u2003" * (u.path.count("/") - 2) + picker_label(u))
        for u in tree_order(manageable_units(session, principal))
    ]
    form.organization_id.choices = [
        SelectChoice("", _("Ủy ban Mặt trận (không thuộc tổ chức)"))
    ] + [SelectChoice(str(o.id), o.name) for o in list_organizations(session)]


@bp.get("/people")
@login_required
def index():
    principal = current_principal()
    search = request.args.get("q", "").strip()
    status = request.args.get("status", "")
    active = {"active": True, "disabled": False}.get(status)
    units = manageable_units(tenant_session(), principal)
    unit_id = request.args.get("unit", type=int)
    unit_id = unit_id if any(u.id == unit_id for u in units) else None
    listing = paginate(people_query(principal, search=search, unit_id=unit_id, active=active))
    return render_template(
        "people/list.html",
        listing=listing,
        search=search,
        status=status,
        units=units,
        unit_id=unit_id,
    )


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def create():
    require_people_manager(current_principal())
    form = PersonForm()
    fill_grant_choices(form)
    by_email = _settings().invite_by_email

    def created(result: operations.Onboarded):
        if result.delivery == operations.BY_EMAIL:
            return done(
                _(
                    "Đã tạo tài khoản cho %(name)s. Liên kết đăng nhập lần đầu đang được gửi tới "
                    "%(email)s.",
                    name=result.user.full_name,
                    email=result.user.email,
                ),
                url_for("people_pages.show", user_id=result.user.id),
            )
        return sheet_response([result])

    return form_page(
        form,
        "people/new.html",
        context={"by_email": by_email},
        run=lambda: operations.onboard_person(
            tenant_session(),
            current_principal(),
            full_name=form.full_name.data,
            email=form.email.data,
            phone=form.phone.data,
            role=form.role.data,
            unit_id=form.unit_id.data,
            organization_id=form.organization_id.data,
            by_email=by_email,
        ),
        then=created,
    )


def sheet_response(onboarded: list[operations.Onboarded], note: str | None = None):
    """The printable sheet of temporary passwords: this response is the only place they show."""
    html = render_template(
        "people/sheet.html",
        onboarded=onboarded,
        note=note,
        # The printed sheet names the public address; the page's own while none is set.
        login_url=public_address.absolute(_settings(), url_for("accounts_pages.login"))
        or url_for("accounts_pages.login", _external=True),
    )
    return html, 200, {"Cache-Control": "no-store", "Pragma": "no-cache"}


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@login_required
def show(user_id: int):
    person = get_person(tenant_session(), current_principal(), user_id)
    form = EditPersonForm(obj=person)
    grant_form = GrantFields(formdata=None)
    fill_grant_choices(grant_form)

    def render(form, status=200, errors=()):
        return render_form(
            "people/show.html", form, status, errors, person=person, grant_form=grant_form
        )

    return form_page(
        form,
        "people/show.html",
        render=render,
        run=lambda: operations.update_person(
            tenant_session(),
            current_principal(),
            person.id,
            full_name=form.full_name.data,
            email=form.email.data,
            phone=form.phone.data,
        ),
        then=lambda user: done(
            _("Đã lưu thông tin của %(name)s.", name=user.full_name),
            url_for("people_pages.show", user_id=user.id),
        ),
    )


@bp.post("/people/<int:user_id>/disable")
@login_required
def disable(user_id: int):
    # Whom the manager may not reach is refused first (404), before any box is asked for.
    get_person(tenant_session(), current_principal(), user_id)
    form = DisableForm()
    if not form.validate():
        flash(_("Hãy đánh dấu ô xác nhận trước khi thực hiện."), "error")
        return redirect(url_for("people_pages.show", user_id=user_id))
    user = operations.set_active(tenant_session(), current_principal(), user_id, False)
    return done(
        _(
            "Đã khóa tài khoản của %(name)s: mọi phiên đăng nhập và mã truy cập ngừng hoạt động.",
            name=user.full_name,
        ),
        url_for("people_pages.show", user_id=user.id),
    )


@bp.post("/people/<int:user_id>/enable")
@login_required
def enable(user_id: int):
    user = operations.set_active(tenant_session(), current_principal(), user_id, True)
    return done(
        _("Đã mở lại tài khoản của %(name)s.", name=user.full_name),
        url_for("people_pages.show", user_id=user.id),
    )


@bp.route("/people/<int:user_id>/roles", methods=["POST"])
@login_required
def grant(user_id: int):
    person = get_person(tenant_session(), current_principal(), user_id)
    grant_form = GrantFields()
    fill_grant_choices(grant_form)
    form = EditPersonForm(obj=person, formdata=None)

    def render(grant_form, status=200, errors=()):
        return render_form(
            "people/show.html", form, status, errors, person=person, grant_form=grant_form
        )

    return form_page(
        grant_form,
        "people/show.html",
        render=render,
        run=lambda: operations.grant_role(
            tenant_session(),
            current_principal(),
            person.id,
            role=grant_form.role.data,
            unit_id=grant_form.unit_id.data,
            organization_id=grant_form.organization_id.data,
        ),
        then=lambda row: done(
            _(
                "Đã giao vai trò %(role)s tại %(unit)s.",
                role=ROLE_LABELS[row.role],
                unit=row.unit.name,
            ),
            url_for("people_pages.show", user_id=person.id),
        ),
    )


@bp.post("/people/<int:user_id>/roles/<int:grant_id>/withdraw")
@login_required
def withdraw(user_id: int, grant_id: int):
    user = operations.withdraw_role(tenant_session(), current_principal(), user_id, grant_id)
    return done(
        _("Đã thu hồi vai trò của %(name)s.", name=user.full_name),
        url_for("people_pages.show", user_id=user.id),
    )


@bp.get("/roles")
@login_required
def role_matrix():
    """What each role may do, for everybody: the hints on other pages point here."""
    from giamsat.units.area_managers import who_may_manage_areas

    groups: dict[str, list] = {}
    for action in all_actions():
        groups.setdefault(str(action.group), []).append(action)
    return render_template(
        "people/roles.html",
        groups=groups,
        roles=ROLE_LABELS,
        areas_sentence=who_may_manage_areas(tenant_session()),
    )
