"""Pages of suggestion boxes (hòm thư góp ý): the box register of a commune, openings with their
minutes, the batch upload of scanned letters, and the letter viewer."""
from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import func, select

from giamsat.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    Unavailable,
    ValidationFailed,
)
from giamsat.core.storage import StorageError, storage_for
from giamsat.jobs.schedules import LOCAL_TZ
from giamsat.letters import operations, queries
from giamsat.letters.forms import (
    SPARE_WITNESS_ROWS,
    BoxForm,
    EditBoxForm,
    OpeningForm,
)
from giamsat.letters.models import (
    BoxStatus,
    Letter,
    LetterFile,
    LetterPage,
    OcrStatus,
    SealCondition,
)
from giamsat.letters.labels import (
    BOX_STATUS_LABELS,
    FREQUENCY_LABELS,
    OCR_STATUS_LABELS,
    SEAL_LABELS,
)
from giamsat.letters.scans import IncomingFile
from giamsat.units.models import TenantRule, Unit
from giamsat.units.queries import (
    get_residential_area,
    get_rule,
    get_unit,
    list_children,
)
from giamsat.http.session import current_principal, login_required

bp = Blueprint("letters_pages", __name__, url_prefix="/t/<tenant>/letters",
               template_folder="templates", static_folder="static")

FORM_ERRORS = (ValidationFailed, Conflict)
#: Endpoints that take batches of scans: above the app's request cap (each file has its own).
UPLOAD_ENDPOINTS = frozenset({"letters_pages.upload", "letters_pages.rescan"})
#: Upload slots: `letter_1`, `letter_2`, … each holding the files of one letter.
SLOT_FIELD = re.compile(r"^letter_(\d{1,3})$")
DEFAULT_SLOTS = 3
MAX_SLOTS = operations.MAX_LETTERS_PER_BATCH
#: Longest side of a page image rendered on the fly (TIFF and PDF pages), and of a thumbnail.
PREVIEW_PIXELS = 1600
THUMB_PIXELS = 300
#: The tenant rules on boxes, in the order the register shows them (tenants/README.md).
RULE_KEYS = ("box_opening_frequency", "box_min_witnesses", "box_minutes_required",
             "box_key_holder")


def _storage_down() -> str:
    return _("Kho lưu trữ tệp đang gặp sự cố nên chưa lưu được; chưa có gì được lưu. "
             "Hãy thử lại sau ít phút.")


def _session():
    return g.tenant.session


def _storage():
    return storage_for(g.tenant, current_app.config["GIAMSAT"])


@bp.url_value_preprocessor
def _raise_request_cap(endpoint, _values):
    # The shell's CSRF check reads the form (and so parses the multipart body) in a
    # before_request hook, under the app-wide cap; URL preprocessors run before that hook.
    # Werkzeug spools the uploaded files to disk while parsing, so this raises no memory use.
    if endpoint in UPLOAD_ENDPOINTS:
        from giamsat.letters.api import MAX_REQUEST_BYTES

        request.max_content_length = MAX_REQUEST_BYTES


@bp.errorhandler(413)
def _batch_too_large(_error):
    from giamsat.letters.api import MAX_REQUEST_BYTES

    message = _("Lần tải lên này quá lớn (tối đa %(mb)s MB một lần); chưa có gì được lưu. "
                "Hãy chia thư thành nhiều lần tải lên.", mb=MAX_REQUEST_BYTES // (1024 * 1024))
    return render_template("web/error.html", status=413, title=_("Tệp tải lên quá lớn"),
                           message=message), 413


# --- template helpers ----------------------------------------------------------------------

@bp.app_template_filter("box_status")
def _box_status(value) -> str:
    return str(BOX_STATUS_LABELS.get(BoxStatus(value), value)) if value else ""


@bp.app_template_filter("seal_condition")
def _seal(value) -> str:
    return str(SEAL_LABELS.get(SealCondition(value), value)) if value else ""


@bp.app_template_filter("ocr_status")
def _ocr(value) -> str:
    return str(OCR_STATUS_LABELS.get(OcrStatus(value), value)) if value else ""


@bp.app_template_filter("local_time")
def _local_time(moment: dt.datetime | None) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y") if moment else ""


def _may(unit: Unit, roles) -> bool:
    return current_principal().has_role_over(unit.path, roles)


def _require(unit: Unit, roles, message: str) -> None:
    # The operations check this again on POST; here it keeps forms from showing to readers.
    if not _may(unit, roles):
        raise Forbidden(message)


def _commune_of(unit: Unit) -> Unit:
    return unit.parent if unit.level.is_residential_area and unit.parent else unit


def _home_units() -> list[Unit]:
    ids = {grant.unit_id for grant in current_principal().grants}
    if not ids:
        return []
    units = _session().scalars(select(Unit).where(Unit.id.in_(ids))).all()
    return sorted(units, key=lambda u: (u.path.count("/"), u.name))


def _chosen_unit() -> Unit | None:
    """`?unit=` (any visible unit), else the user's topmost unit; an area means its commune."""
    chosen = request.args.get("unit", type=int)
    if chosen:
        return _commune_of(get_unit(_session(), chosen, current_principal()))
    homes = _home_units()
    return _commune_of(homes[0]) if homes else None


def _switch_to(unit: Unit) -> int | None:
    """The unit above, when the user may see it (to pick another commune there)."""
    parent = unit.parent
    return parent.id if parent and current_principal().sees_path(parent.path) else None


def _sub_communes(unit: Unit) -> list[Unit]:
    """Units below `unit` that hold residential areas (a province's communes)."""
    session = _session()
    found, queue = [], list_children(session, unit, residential=False)
    while queue:
        child = queue.pop(0)
        if child.level.holds_residential_areas:
            found.append(child)
        else:
            queue.extend(list_children(session, child, residential=False))
    return found


def _local_rules() -> list[dict]:
    """The tenant's rules on suggestion boxes as the operations apply them (their defaults
    when unset), with where each value comes from."""
    session = _session()
    values = {
        "box_opening_frequency": get_rule(session, "box_opening_frequency",
                                          queries.DEFAULT_FREQUENCY),
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
        rules.append({"key": key, "value": shown,
                      "source": row.source if row is not None and row.source else None})
    return rules


# --- the box register ------------------------------------------------------------------------

@bp.get("/")
@login_required
def register():
    """Sổ hòm thư góp ý: the boxes of a commune's residential areas, by area."""
    unit = _chosen_unit()
    if unit is None:
        return render_template("letters/register.html", unit=None, homes=[])
    if not unit.level.holds_residential_areas:
        return render_template("letters/pick_commune.html", unit=unit,
                               communes=_sub_communes(unit), target="letters_pages.register")
    session = _session()
    boxes = list(session.scalars(queries.boxes_query(current_principal(), unit_id=unit.id)))
    areas = list_children(session, unit, residential=True)
    known = {a.id for a in areas}
    areas += sorted({b.unit for b in boxes if b.unit_id not in known}, key=lambda a: a.name)
    last = _last_openings([b.id for b in boxes])
    by_area: dict[int, list] = {}
    for box in boxes:
        by_area.setdefault(box.unit_id, []).append(box)
    return render_template(
        "letters/register.html", unit=unit, switch_to=_switch_to(unit), areas=areas,
        by_area=by_area, last=last,
        rules=_local_rules(), keeper_roles=operations.BOX_KEEPERS,
        handler_roles=operations.LETTER_HANDLERS, may=_may,
        overdue={o.box.id: o for o in queries.overdue_openings(
            session, current_principal(), unit_id=unit.id).get(unit.id, [])})


def _last_openings(box_ids: list[int]) -> dict[int, dt.datetime]:
    if not box_ids:
        return {}
    from giamsat.letters.models import BoxOpening

    rows = _session().execute(select(BoxOpening.box_id, func.max(BoxOpening.opened_at))
                              .where(BoxOpening.box_id.in_(box_ids))
                              .group_by(BoxOpening.box_id))
    return dict(rows.all())


def _form_page(template: str, form, status: int = 200, errors=(), **values):
    return render_template(template, form=form, errors=list(errors), **values), status


@bp.route("/areas/<int:area_id>/boxes/new", methods=["GET", "POST"])
@login_required
def create_box(area_id: int):
    area = get_residential_area(_session(), area_id, current_principal())
    _require(area, operations.BOX_KEEPERS,
             _("Tài khoản của bạn không được quản lý hòm thư của khu dân cư này."))
    form = BoxForm()
    values = {"area": area, "box": None}
    if not form.is_submitted():
        form.installed_on.data = dt.date.today()
        return _form_page("letters/box_form.html", form, **values)
    if not form.validate():
        return _form_page("letters/box_form.html", form, 422, **values)
    try:
        box = operations.create_box(
            _session(), current_principal(), area_id=area.id, location=form.location.data or "",
            keeper=form.keeper.data or "", installed_on=form.installed_on.data,
            notes=form.notes.data or "")
    except FORM_ERRORS as error:
        return _form_page("letters/box_form.html", form, error.status,
                          form.apply_domain_error(error), **values)
    flash(_("Đã thêm hòm thư %(code)s tại %(place)s.", code=box.label_code,
            place=box.location), "success")
    return redirect(url_for("letters_pages.register", unit=area.parent_id) + f"#box-{box.id}")


@bp.route("/boxes/<int:box_id>/edit", methods=["GET", "POST"])
@login_required
def edit_box(box_id: int):
    box = queries.get_box(_session(), box_id, current_principal())
    _require(box.unit, operations.BOX_KEEPERS,
             _("Tài khoản của bạn không được quản lý hòm thư của khu dân cư này."))
    form = EditBoxForm(obj=box)
    if not form.is_submitted():
        form.status.data = box.status.value
    values = {"area": box.unit, "box": box}
    if not form.is_submitted():
        return _form_page("letters/box_form.html", form, **values)
    if not form.validate():
        return _form_page("letters/box_form.html", form, 422, **values)
    try:
        operations.update_box(
            _session(), current_principal(), box.id, location=form.location.data or "",
            keeper=form.keeper.data or "", installed_on=form.installed_on.data,
            status=form.status.data, notes=form.notes.data or "")
    except FORM_ERRORS as error:
        errors = form.apply_domain_error(error)
        _session().rollback()
        box = queries.get_box(_session(), box_id, current_principal())
        return _form_page("letters/box_form.html", form, error.status, errors, area=box.unit,
                          box=box)
    flash(_("Đã lưu hòm thư %(code)s.", code=box.label_code), "success")
    return redirect(url_for("letters_pages.register", unit=box.unit.parent_id) + f"#box-{box.id}")


# --- openings --------------------------------------------------------------------------------

@bp.get("/openings")
@login_required
def openings():
    """Các lần mở hòm thư of a commune; boxes past their opening date first, highlighted."""
    unit = _chosen_unit()
    if unit is None:
        return render_template("letters/register.html", unit=None, homes=[])
    if not unit.level.holds_residential_areas:
        return render_template("letters/pick_commune.html", unit=unit,
                               communes=_sub_communes(unit), target="letters_pages.openings")
    session = _session()
    overdue = queries.overdue_openings(session, current_principal(), unit_id=unit.id)
    rows = list(session.scalars(queries.openings_query(current_principal(), unit_id=unit.id)
                                .limit(200)))
    counts = _letter_counts([o.id for o in rows])
    return render_template("letters/openings.html", unit=unit, switch_to=_switch_to(unit),
                           overdue=overdue.get(unit.id, []),
                           openings=rows, counts=counts, rules=_local_rules(),
                           interval=queries.opening_interval(session).days)


def _letter_counts(opening_ids: list[int]) -> dict[int, int]:
    if not opening_ids:
        return {}
    rows = _session().execute(select(Letter.opening_id, func.count(func.distinct(Letter.case_id)))
                              .where(Letter.opening_id.in_(opening_ids))
                              .group_by(Letter.opening_id))
    return dict(rows.all())


def _witness_rows(form: OpeningForm, minimum: int) -> None:
    wanted = max(minimum + SPARE_WITNESS_ROWS, 3)
    while len(form.witnesses.entries) < wanted:
        form.witnesses.append_entry()


def _apply_opening_error(form: OpeningForm, error) -> tuple[list[str], list[str]]:
    """Field errors next to their fields; returns (loose messages, witness-list messages)."""
    loose, witness = [], []
    for name, messages in (error.errors or {}).items():
        match = re.match(r"^witnesses\.(\d+)(?:\.(name|role))?$", name)
        if name == "witnesses":
            witness.extend(messages)
        elif match and int(match.group(1)) < len(form.witnesses.entries):
            sub = form.witnesses.entries[int(match.group(1))].form
            target = getattr(sub, match.group(2) or "name")
            target.errors = list(target.errors) + list(messages)
        elif name == "opened_at":
            form.opened_on.errors = list(form.opened_on.errors) + list(messages)
        elif name in form._fields and name != "witnesses":
            form._fields[name].errors = list(form._fields[name].errors) + list(messages)
        else:
            loose.extend(messages)
    if not error.errors:
        loose.append(error.message)
    return loose, witness


@bp.route("/boxes/<int:box_id>/openings/new", methods=["GET", "POST"])
@login_required
def record_opening(box_id: int):
    """Ghi biên bản mở hòm thư: date and time, witnesses, seal, letters found."""
    session = _session()
    box = queries.get_box(session, box_id, current_principal())
    _require(box.unit, operations.LETTER_HANDLERS,
             _("Tài khoản của bạn chỉ được xem, không được ghi việc mở hòm thư."))
    minimum = operations.minimum_witnesses(session)
    required = operations.minutes_required(session)
    form = OpeningForm()
    _witness_rows(form, minimum)
    values = {"box": box, "minimum": minimum, "minutes_required": required,
              "rules": _local_rules()}
    if not form.is_submitted():
        now = dt.datetime.now(LOCAL_TZ)
        form.opened_on.data = now.date()
        form.opened_time.data = now.strftime("%H:%M")
        return _form_page("letters/opening_form.html", form, witness_errors=[], **values)
    with_minutes = required or bool(request.form.get("with_minutes"))
    valid = form.validate()
    opened_at = form.opened_at()
    if not valid or opened_at is None:
        return _form_page("letters/opening_form.html", form, 422, witness_errors=[], **values)
    try:
        opening = operations.record_opening(
            session, current_principal(), box.id, opened_at=opened_at.replace(tzinfo=LOCAL_TZ),
            witnesses=form.witness_rows(), seal_condition=form.seal_condition.data or "",
            letters_found=form.letters_found.data, notes=form.notes.data or "",
            with_minutes=with_minutes)
    except FORM_ERRORS as error:
        loose, witness = _apply_opening_error(form, error)
        session.rollback()
        box = queries.get_box(session, box_id, current_principal())
        return _form_page("letters/opening_form.html", form, error.status, loose,
                          witness_errors=witness, **(values | {"box": box}))
    except Unavailable as error:
        session.rollback()
        box = queries.get_box(session, box_id, current_principal())
        return _form_page("letters/opening_form.html", form, 503, [error.message],
                          witness_errors=[], **(values | {"box": box}))
    if opening.minutes_key:
        flash(_("Đã ghi lần mở hòm thư %(code)s và lập biên bản. Hãy tải biên bản về, in ra "
                "để mọi người có mặt ký.", code=box.label_code), "success")
    else:
        flash(_("Đã ghi lần mở hòm thư %(code)s.", code=box.label_code), "success")
    return redirect(url_for("letters_pages.opening", opening_id=opening.id))


@bp.get("/openings/<int:opening_id>")
@login_required
def opening(opening_id: int):
    session = _session()
    found = queries.get_opening(session, opening_id, current_principal())
    commune = session.get(Unit, found.box.unit.parent_id) or found.box.unit
    letters = list(session.scalars(queries.letters_query(current_principal(),
                                                         opening_id=found.id)))
    return render_template("letters/opening.html", opening=found, box=found.box,
                           commune=commune, letters=letters,
                           can_upload=_may(commune, operations.LETTER_HANDLERS))


@bp.get("/openings/<int:opening_id>/bien-ban.docx")
@login_required
def minutes(opening_id: int):
    """The minutes DOCX as written at the opening, streamed through the app."""
    found = queries.get_opening(_session(), opening_id, current_principal())
    if not found.minutes_key:
        raise NotFound(_("Lần mở hòm thư này không có biên bản."))
    local = found.opened_at.astimezone(LOCAL_TZ)
    name = f"bien-ban-mo-hom-thu-{found.box.label_code}-{local:%Y%m%d-%H%M}.docx".lower()
    from giamsat.letters.minutes import CONTENT_TYPE

    return _stream(found.minutes_key, CONTENT_TYPE, name, attachment=True)


# --- batch upload ----------------------------------------------------------------------------

def _slot_count(default: int) -> int:
    raw = request.values.get("slots", type=int) or default
    return min(max(raw, 1), MAX_SLOTS)


def _batch_from_request() -> list[tuple[int, list]]:
    """(slot number, chosen files) of each slot with at least one file, in slot order."""
    slots = []
    for name in request.files:
        match = SLOT_FIELD.match(name)
        if match:
            files = [f for f in request.files.getlist(name) if f and f.filename]
            if files:
                slots.append((int(match.group(1)), files))
    return sorted(slots)


def _upload_page(found, status=200, errors=(), slot_errors=None, slots=None):
    session = _session()
    commune = session.get(Unit, found.box.unit.parent_id) or found.box.unit
    uploaded = len(list(session.scalars(queries.letters_query(current_principal(),
                                                              opening_id=found.id))))
    if slots is None:
        slots = _slot_count(min(max(found.letters_found - uploaded, DEFAULT_SLOTS), 20))
    return render_template(
        "letters/upload.html", opening=found, box=found.box, commune=commune,
        uploaded=uploaded, slots=slots, errors=list(errors), slot_errors=slot_errors or {},
        max_files=operations.MAX_FILES_PER_LETTER), status


def _refused_file_message(batch, done: int, message: str) -> tuple[int, str]:
    """Which slot and file a refusal is about: the operation stores files in order and reports
    each one stored, so the refused one is the next after `done`."""
    index = 0
    for slot, files in batch:
        for upload in files:
            if index == done:
                return slot, _("Tệp “%(name)s”: %(reason)s", name=upload.filename,
                               reason=message)
            index += 1
    return batch[0][0], message


@bp.route("/openings/<int:opening_id>/upload", methods=["GET", "POST"])
@login_required
def upload(opening_id: int):
    """Tải lên bản quét thư: many letters at once, one or more files each; every letter
    becomes a case "received" (channel suggestion box). All or nothing."""
    session = _session()
    found = queries.get_opening(session, opening_id, current_principal())
    commune = session.get(Unit, found.box.unit.parent_id) or found.box.unit
    _require(commune, operations.LETTER_HANDLERS,
             _("Tài khoản của bạn chỉ được xem, không được nhập thư."))
    if request.method == "GET":
        return _upload_page(found)
    batch = _batch_from_request()
    slots = _slot_count(max([n for n, _files in batch] or [DEFAULT_SLOTS]))
    if not batch:
        return _upload_page(found, 422, [_("Hãy chọn tệp bản quét cho ít nhất một thư.")],
                            slots=slots)
    done = 0

    def progress(stored: int, _total: int) -> None:
        nonlocal done
        done = stored

    letters = [[IncomingFile(stream=f.stream, filename=f.filename) for f in files]
               for _slot, files in batch]
    try:
        created = operations.upload_letters(session, current_principal(), found.id, letters,
                                            progress=progress)
    except FORM_ERRORS as error:
        session.rollback()
        found = queries.get_opening(session, opening_id, current_principal())
        nothing = _("Chưa có thư nào được lưu. Hãy bỏ hoặc thay tệp đó rồi tải lên lại.")
        if error.errors.get("files") and len(batch) and done < sum(len(f) for _s, f in batch):
            slot, message = _refused_file_message(batch, done, error.message)
            return _upload_page(found, error.status, [message, nothing],
                                slot_errors={slot: message}, slots=slots)
        return _upload_page(found, error.status, [error.message, nothing], slots=slots)
    except (Unavailable, StorageError):
        session.rollback()
        found = queries.get_opening(session, opening_id, current_principal())
        return _upload_page(found, 503, [_storage_down()], slots=slots)
    flash(_("Đã nhập %(count)s thư; mỗi thư thành một hồ sơ mới ở trạng thái “Đã tiếp nhận”. "
            "Chữ trong bản quét đang được nhận dạng, hãy xem lại sau ít phút.",
            count=len(created)), "success")
    return _done(url_for("letters_pages.opening", opening_id=found.id) + "#letters")


def _done(target: str):
    """A redirect; for the upload script (XMLHttpRequest), which would follow a redirect
    itself and so take the message meant for the next page, the address in a header."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return Response(status=204, headers={"X-Next-Page": target})
    return redirect(target)


# --- the viewer ------------------------------------------------------------------------------

def _get_letter(letter_id: int) -> Letter:
    return queries.get_letter(_session(), letter_id, current_principal())


def _render_letter(found: Letter, *, errors=(), status: int = 200):
    session = _session()
    pages = queries.letter_pages(session, found)
    chosen = request.args.get("page", type=int)
    page = next((p for p in pages if p.id == chosen), pages[0] if pages else None)
    versions = queries.letter_versions(session, found.case_id, current_principal())
    files = {f.id: f for f in found.files}
    commune = session.get(Unit, found.unit_id)
    return render_template(
        "letters/letter.html", letter=found, pages=pages, page=page, files=files,
        page_file=files.get(page.file_id) if page else None, versions=versions,
        latest=versions[-1] if versions else found, opening=found.opening, box=found.opening.box,
        can_handle=_may(commune, operations.LETTER_HANDLERS), errors=list(errors),
        max_files=operations.MAX_FILES_PER_LETTER), status


@bp.get("/<int:letter_id>")
@login_required
def letter(letter_id: int):
    """Xem thư: page thumbnails, the chosen page with zoom and rotate, its OCR text, the
    original files and every version."""
    return _render_letter(_get_letter(letter_id))


def _letter_page(letter_id: int, page_id: int) -> tuple[Letter, LetterPage, LetterFile]:
    found = _get_letter(letter_id)
    page = queries.get_letter_page(_session(), page_id, current_principal())
    if page.letter_id != found.id:
        raise NotFound(_("Không tìm thấy trang."))
    stored = next(f for f in found.files if f.id == page.file_id)
    return found, page, stored


@bp.get("/<int:letter_id>/pages/<int:page_id>/thumb.jpg")
@login_required
def thumbnail(letter_id: int, page_id: int):
    _found, page, stored = _letter_page(letter_id, page_id)
    if page.thumbnail_key:
        return _stream(page.thumbnail_key, "image/jpeg", None)
    return _rendered(stored, page.page_number, THUMB_PIXELS)


@bp.get("/<int:letter_id>/pages/<int:page_id>/image")
@login_required
def page_image(letter_id: int, page_id: int):
    """The page at full size: JPEG and PNG as stored (already without metadata); TIFF and PDF
    pages, which browsers do not show, rendered to JPEG one page at a time."""
    _found, page, stored = _letter_page(letter_id, page_id)
    if stored.content_type in ("image/jpeg", "image/png") and stored.page_count == 1:
        return _stream(stored.object_key, stored.content_type, None)
    return _rendered(stored, page.page_number, PREVIEW_PIXELS)


@bp.get("/<int:letter_id>/files/<int:file_id>")
@login_required
def download(letter_id: int, file_id: int):
    """The original file (as stored) for download, after the access check."""
    found = _get_letter(letter_id)
    stored = queries.get_letter_file(_session(), file_id, current_principal())
    if stored.letter_id != found.id:
        raise NotFound(_("Không tìm thấy tệp."))
    return _stream(stored.object_key, stored.content_type, stored.original_name,
                   attachment=True, size=stored.size)


def _stream(key: str, content_type: str, filename: str | None, *, attachment: bool = False,
            size: int | None = None):
    reader = _storage().open(key)

    def chunks():
        with reader:
            yield from reader

    response = Response(stream_with_context(chunks()), mimetype=content_type)
    if filename:
        ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "") or "thu"
        kind = "attachment" if attachment else "inline"
        response.headers["Content-Disposition"] = (
            f'{kind}; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(filename)}')
    if size is not None:
        response.headers["Content-Length"] = str(size)
    # Private to this session: no shared cache may keep a letter.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _rendered(stored: LetterFile, number: int, longest: int):
    """One page of a TIFF or PDF (or any file without a thumbnail yet) as a JPEG, rendered
    now: the file is copied to a temporary file and only that page is decoded."""
    from PIL import Image

    from giamsat.letters.scans import PDF, downloaded

    if not 1 <= number <= stored.page_count:
        raise NotFound(_("Không tìm thấy trang."))
    with downloaded(_storage(), stored.object_key) as path:
        if stored.content_type == PDF:
            import pypdfium2 as pdfium

            document = pdfium.PdfDocument(path)
            try:
                pdf_page = document[number - 1]
                width, height = pdf_page.get_size()
                bitmap = pdf_page.render(scale=longest / max(width, height, 1))
                image = bitmap.to_pil()
                bitmap.close()
                pdf_page.close()
            finally:
                document.close()
        else:
            with Image.open(path) as source:
                source.seek(number - 1)
                source.draft("RGB", (longest, longest))
                image = source.convert("RGB")
            image.thumbnail((longest, longest))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=85)
    response = Response(out.getvalue(), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:letter_id>/rescan")
@login_required
def rescan(letter_id: int):
    """Quét lại: the new files become a new version; the earlier ones stay as they were."""
    session = _session()
    found = _get_letter(letter_id)
    _require(session.get(Unit, found.unit_id), operations.LETTER_HANDLERS,
             _("Tài khoản của bạn chỉ được xem, không được quét lại thư."))
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        return _render_letter(found, errors=[_("Hãy chọn tệp bản quét mới của thư.")],
                              status=422)
    try:
        created = operations.rescan_letter(
            session, current_principal(), found.id,
            [IncomingFile(stream=f.stream, filename=f.filename) for f in files])
    except FORM_ERRORS as error:
        message, status = error.message, error.status
    except (Unavailable, StorageError):
        message, status = _storage_down(), 503
    else:
        flash(_("Đã lưu bản quét mới (lần %(version)s). Bản cũ vẫn được giữ nguyên.",
                version=created.version), "success")
        return redirect(url_for("letters_pages.letter", letter_id=created.id))
    session.rollback()
    return _render_letter(_get_letter(letter_id), errors=[
        message, _("Chưa có gì được lưu; bản quét cũ vẫn như trước.")], status=status)


@bp.post("/<int:letter_id>/ocr")
@login_required
def retry_ocr(letter_id: int):
    """Nhận dạng lại chữ: after a failure, or once the OCR software is installed."""
    found = _get_letter(letter_id)
    _require(_session().get(Unit, found.unit_id), operations.LETTER_HANDLERS,
             _("Tài khoản của bạn chỉ được xem, không được thay đổi."))
    operations.retry_ocr(_session(), current_principal(), found.id)
    flash(_("Đã xếp thư vào hàng chờ nhận dạng chữ; hãy xem lại sau ít phút."), "success")
    return redirect(url_for("letters_pages.letter", letter_id=found.id))
