"""Pages of the yearly review: a unit's review and the roll-up of those below it, the draft
(open, refresh, edit, submit), the DOCX files, and the province's list of sections.

Thin handlers over `operations`, `queries` and `sections`; one blueprint `review_pages`.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from giamsat.core import clock
from giamsat.core.errors import Forbidden, NotFound
from giamsat.http.pages import (
    FORM_ERRORS,
    done,
    form_page,
    private_download,
    tenant_session,
)
from giamsat.http.session import current_principal, login_required
from giamsat.reports.operations.common import AUTHORS
from giamsat.reports.views.common import can, chosen_unit, reporting_units, year_arg
from giamsat.reports.yearly_review import docx, labels, operations, queries, sections
from giamsat.reports.yearly_review import forms as f
from giamsat.reports.yearly_review.lines import figure_lines
from giamsat.reports.yearly_review.models import YearlyReview
from giamsat.units.models import Unit

bp = Blueprint(
    "review_pages", __name__, url_prefix="/t/<tenant>/reviews", template_folder="templates"
)


@bp.context_processor
def _review_labels():
    return {"review_labels": labels}


def _version(form) -> int | None:
    raw = (form.version.data or "").strip()
    return int(raw) if raw.isdigit() else None


def _lines(current: dict, previous: dict):
    return figure_lines(tenant_session(), current, previous)


def _index_page(unit: Unit, year: int, *, errors=(), status: int = 200):
    session, principal = tenant_session(), current_principal()
    rollup = queries.build_rollup(session, principal, unit.id, year)
    own = next((r.review for r in rollup.units if r.unit.id == unit.id), None)
    return render_template(
        "yearly_review/index.html",
        units=reporting_units(),
        unit=unit,
        year=year,
        review=own,
        rollup=rollup,
        lines=_lines(rollup.current, rollup.previous),
        can_write=can(unit, AUTHORS),
        is_admin=principal.is_tenant_admin,
        errors=list(errors),
    ), status


@bp.get("/")
@login_required
def index():
    """A unit's review of a year and, below it, the roll-up of every review under the unit."""
    return _index_page(chosen_unit(reporting_units()), year_arg())


@bp.post("/units/<int:unit_id>/years/<int:year>/open")
@login_required
def open_review(unit_id: int, year: int):
    """Create the draft (prefilled) or take the latest figures into it, then show it."""
    session, principal = tenant_session(), current_principal()
    try:
        review, created = operations.open_review(session, principal, unit_id=unit_id, year=year)
    except FORM_ERRORS as error:
        unit = session.get(Unit, unit_id)
        return _index_page(unit, year, errors=[error.message], status=error.status)
    if created:
        flash(_("Đã lập dự thảo bản đánh giá năm với số liệu tính từ hồ sơ."), "success")
    return redirect(url_for("review_pages.review", review_id=review.id))


def _review_page(review: YearlyReview, *, errors=(), field_errors=None, posted=None, status=200):
    session = tenant_session()
    figures = review.figures or {}
    return render_template(
        "yearly_review/review.html",
        review=review,
        lines=_lines(figures.get("current", {}), figures.get("previous", {})),
        sections=sections.list_sections(session),
        texts={t.section_id: t.content for t in review.texts},
        all_texts=queries.section_texts(review, sections.list_sections(session)),
        can_write=review.is_editable and can(review.unit, AUTHORS),
        version_form=f.VersionForm(data={"version": review.version}),
        submit_form=f.SubmitForm(data={"version": review.version}),
        errors=list(errors),
        field_errors=field_errors or {},
        posted=posted,
    ), status


@bp.get("/<int:review_id>")
@login_required
def review(review_id: int):
    return _review_page(queries.get_review(tenant_session(), current_principal(), review_id))


@bp.route("/<int:review_id>/edit", methods=["GET", "POST"])
@login_required
def edit(review_id: int):
    """The narrative of each section (one box per section the province asks for)."""
    session, principal = tenant_session(), current_principal()
    review = queries.get_review(session, principal, review_id)
    if not can(review.unit, AUTHORS):
        raise Forbidden(_("Tài khoản của bạn chỉ được xem bản đánh giá, không được sửa."))
    form = f.VersionForm()
    if not form.is_submitted() and not review.is_editable:
        return done(
            _("Bản đánh giá đã gửi cấp trên nên không sửa được nữa."),
            url_for("review_pages.review", review_id=review.id),
            "warning",
        )
    asked = sections.list_sections(session)
    posted = {
        int(name.removeprefix("section-")): value
        for name, value in request.form.items()
        if name.startswith("section-") and name.removeprefix("section-").isdigit()
    }
    field_errors: dict = {}

    def show(form, status=200, errors=()):
        return render_template(
            "yearly_review/edit.html",
            form=form,
            review=review,
            sections=asked,
            texts=posted or {t.section_id: t.content for t in review.texts},
            field_errors=field_errors,
            errors=list(errors),
        ), status

    def run():
        try:
            return operations.update_review(
                session, principal, review.id, texts=posted, version=_version(form)
            )
        except FORM_ERRORS as error:
            field_errors.update(error.errors or {})
            raise

    return form_page(
        form,
        "yearly_review/edit.html",
        render=show,
        prefill=lambda: setattr(form.version, "data", str(review.version)),
        run=run,
        then=lambda saved: done(
            _("Đã lưu bản đánh giá. Khi đã viết đủ các mục, hãy bấm “Gửi cấp trên”."),
            url_for("review_pages.review", review_id=saved.id),
        ),
    )


@bp.post("/<int:review_id>/refresh")
@login_required
def refresh(review_id: int):
    session, principal = tenant_session(), current_principal()
    form = f.VersionForm()
    try:
        operations.refresh_review(session, principal, review_id, version=_version(form))
    except FORM_ERRORS as error:
        flash(error.message, "error")
    else:
        flash(_("Đã cập nhật số liệu mới nhất từ hồ sơ. Nội dung đã viết giữ nguyên."), "success")
    return redirect(url_for("review_pages.review", review_id=review_id))


@bp.post("/<int:review_id>/submit")
@login_required
def submit(review_id: int):
    """Send the review to the parent; refused (422, on the page) while a section is empty."""
    session, principal = tenant_session(), current_principal()
    review = queries.get_review(session, principal, review_id)
    form = f.SubmitForm()
    if not form.validate():
        messages = [m for ms in form.errors.values() for m in ms]
        return _review_page(review, errors=messages, status=422)
    try:
        operations.submit_review(session, principal, review_id, version=_version(form))
    except FORM_ERRORS as error:
        return _review_page(
            review, errors=[error.message], field_errors=error.errors, status=error.status
        )
    return done(
        _("Đã gửi bản đánh giá lên cấp trên."), url_for("review_pages.review", review_id=review_id)
    )


def _parent(unit: Unit) -> Unit | None:
    return tenant_session().get(Unit, unit.parent_id) if unit.parent_id else None


@bp.get("/<int:review_id>/file.docx")
@login_required
def review_file(review_id: int):
    session = tenant_session()
    review = queries.get_review(session, current_principal(), review_id)
    figures = review.figures or {}
    data = docx.review_docx(
        review.unit,
        _parent(review.unit),
        review.year,
        _lines(figures.get("current", {}), figures.get("previous", {})),
        queries.section_texts(review, sections.list_sections(session)),
        day=clock.today(),
        is_draft=review.is_editable,
    )
    name = docx.file_name("danh-gia-nam", review.unit, review.year)
    return private_download(data, name, docx.DOCX_MIMETYPE)


@bp.get("/rollup.docx")
@login_required
def rollup_file():
    unit, year = chosen_unit(reporting_units()), year_arg()
    rollup = queries.build_rollup(tenant_session(), current_principal(), unit.id, year)
    data = docx.rollup_docx(
        rollup, _parent(unit), _lines(rollup.current, rollup.previous), day=clock.today()
    )
    return private_download(
        data, docx.file_name("tong-hop-danh-gia-nam", unit, year), docx.DOCX_MIMETYPE
    )


# --- the province's sections --------------------------------------------------------------


@bp.route("/sections", methods=["GET", "POST"])
@login_required
def section_list():
    """The sections every review is asked for, and a form to add one (province admins)."""
    session, principal = tenant_session(), current_principal()
    form = f.SectionForm()
    if form.is_submitted() and not principal.is_tenant_admin:
        raise Forbidden(_("Chỉ quản trị của tỉnh được sửa các mục của bản đánh giá năm."))
    return form_page(
        form,
        "yearly_review/sections.html",
        context={
            "sections": sections.list_sections(session, active_only=False),
            "is_admin": principal.is_tenant_admin,
        },
        run=lambda: sections.create_section(
            session,
            principal,
            title=form.title.data,
            guidance=form.guidance.data,
            sort_order=form.sort_order.data,
        ),
        then=lambda s: done(
            _("Đã thêm mục “%(title)s”.", title=s.title), url_for("review_pages.section_list")
        ),
    )


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
@login_required
def edit_section(section_id: int):
    session, principal = tenant_session(), current_principal()
    if not principal.is_tenant_admin:
        raise Forbidden(_("Chỉ quản trị của tỉnh được sửa các mục của bản đánh giá năm."))
    section = next(
        (s for s in sections.list_sections(session, active_only=False) if s.id == section_id),
        None,
    )
    if section is None:
        raise NotFound(_("Không tìm thấy mục này."))
    form = f.EditSectionForm(obj=section)
    return form_page(
        form,
        "yearly_review/section_edit.html",
        context={"section": section},
        run=lambda: sections.update_section(
            session,
            principal,
            section.id,
            title=form.title.data,
            guidance=form.guidance.data,
            sort_order=form.sort_order.data,
            is_active=form.is_active.data,
        ),
        then=lambda s: done(
            _("Đã lưu mục “%(title)s”.", title=s.title), url_for("review_pages.section_list")
        ),
    )
