"""Changing the classification tags of a finding on its own page: a comment of an activity, a
recommendation, an issue raised at a dialogue (the tags come from the cases' catalogue)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from giamsat.core.errors import NotFound
from giamsat.http.pages import done, form_page, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.supervision import forms as f
from giamsat.supervision import operations, queries
from giamsat.supervision.views import bp
from giamsat.supervision.views.common import FORM_TEMPLATE, form_context, require_writer_of


def _tags_page(finding, heading: str, action: str, back: str, retag):
    require_writer_of(finding)
    form = f.FindingTagsForm()

    def prefill():
        form.tags.data = [t.code for t in finding.tags]

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=form_context(
            heading=heading, fields=["tags"], action=action, cancel=back, tags=True
        ),
        run=lambda: retag(tenant_session(), current_principal(), finding.id, form.tags.data or ()),
        then=lambda _finding: done(_("Đã lưu phân loại."), back),
    )


@bp.route("/activities/<int:activity_id>/comments/<int:comment_id>/tags", methods=["GET", "POST"])
@login_required
def comment_tags(activity_id: int, comment_id: int):
    comment = queries.get_comment(tenant_session(), comment_id, current_principal())
    if comment.activity_id != activity_id:
        raise NotFound(_("Không tìm thấy ý kiến góp ý."))
    return _tags_page(
        comment,
        _("Phân loại ý kiến góp ý"),
        url_for("supervision_pages.comment_tags", activity_id=activity_id, comment_id=comment.id),
        url_for("supervision_pages.activity", activity_id=activity_id),
        operations.set_comment_tags,
    )


@bp.route("/recommendations/<int:recommendation_id>/tags", methods=["GET", "POST"])
@login_required
def recommendation_tags(recommendation_id: int):
    rec = queries.get_recommendation(tenant_session(), recommendation_id, current_principal())
    return _tags_page(
        rec,
        _("Phân loại kiến nghị gửi %(to)s", to=rec.addressee_name),
        url_for("supervision_pages.recommendation_tags", recommendation_id=rec.id),
        url_for("supervision_pages.recommendation", recommendation_id=rec.id),
        operations.set_recommendation_tags,
    )


@bp.route("/dialogues/<int:dialogue_id>/issues/<int:issue_id>/tags", methods=["GET", "POST"])
@login_required
def issue_tags(dialogue_id: int, issue_id: int):
    issue = queries.get_dialogue_issue(tenant_session(), issue_id, current_principal())
    if issue.dialogue_id != dialogue_id:
        raise NotFound(_("Không tìm thấy vấn đề nêu ra."))
    return _tags_page(
        issue,
        _("Phân loại vấn đề nêu ra"),
        url_for("supervision_pages.issue_tags", dialogue_id=dialogue_id, issue_id=issue.id),
        url_for("supervision_pages.dialogue", dialogue_id=dialogue_id),
        operations.set_issue_tags,
    )
