"""Documents of a case: the forwarding document (phiếu chuyển) once it is forwarded."""

from __future__ import annotations

from flask_babel import gettext as _

from giamsat.cases import forwarding
from giamsat.cases.views import bp
from giamsat.cases.views.common import get_case
from giamsat.core.admin_docx import CONTENT_TYPE
from giamsat.core.errors import NotFound
from giamsat.http.pages import private_download, tenant_session
from giamsat.http.session import login_required


@bp.get("/<int:case_id>/phieu-chuyen.docx")
@login_required
def forwarding_document(case_id: int):
    case = get_case(case_id)
    if case.forwarded_on is None or not case.recipient_name:
        raise NotFound(_("Hồ sơ này chưa chuyển cơ quan có thẩm quyền nên chưa có phiếu chuyển."))
    data = forwarding.forwarding_docx(tenant_session(), case)
    name = f"phieu-chuyen-{case.number.replace('/', '-')}.docx"
    return private_download(data, name, CONTENT_TYPE)
