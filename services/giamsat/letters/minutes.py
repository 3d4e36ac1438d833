"""The minutes (biên bản) of a box opening as a DOCX in the Decree 30/2020 layout."""

from __future__ import annotations

import io
from dataclasses import dataclass

from giamsat.core.admin_docx import AdminDocument, Signer, document_number
from giamsat.letters.labels import SEAL_MINUTES_TEXT
from giamsat.letters.models import BoxOpening, SuggestionBox
from giamsat.units.issuers import place_name
from giamsat.units.models import Unit

#: Biên bản (BB) of the Ban công tác Mặt trận (BCTMT) of the residential area.
SYMBOL = "BB-BCTMT"


@dataclass(frozen=True)
class MinutesContext:
    """Who and where, resolved by the caller (names only, no database access here)."""

    box: SuggestionBox
    area: Unit
    commune: Unit
    opening: BoxOpening
    #: Running number of the box's openings in the year (Số: 03/BB-BCTMT).
    number: int
    local_time: object  # datetime in Vietnam time


def _same_person(name: str, other: str) -> bool:
    return " ".join(name.split()).casefold() == " ".join(other.split()).casefold()


def build_minutes(ctx: MinutesContext) -> bytes:
    opening, box, area, commune = ctx.opening, ctx.box, ctx.area, ctx.commune
    at = ctx.local_time
    doc = AdminDocument(
        issuer_parent=f"Ủy ban MTTQ Việt Nam {commune.name}",
        issuer=f"Ban Công tác Mặt trận {area.name}",
        number=document_number(ctx.number, SYMBOL),
        place=place_name(commune),
        day=at.date(),
        doc_type="Biên bản",
        summary="Mở hòm thư góp ý ở khu dân cư",
    )
    doc.paragraph(
        f"Hôm nay, vào lúc {at:%H} giờ {at:%M} phút, ngày {at:%d} tháng {at:%m} năm {at:%Y}, "
        f"tại {box.location} ({area.name}), Ban Công tác Mặt trận tiến hành mở hòm thư góp ý "
        f"mã số {box.label_code}."
    )
    doc.heading("I. THÀNH PHẦN CÓ MẶT")
    people = [
        [str(i), w["name"], w.get("role") or "Người chứng kiến"]
        for i, w in enumerate(opening.witnesses, start=1)
    ]
    doc.table(["STT", "Họ và tên", "Chức vụ, vai trò"], people, widths=[0.1, 0.45, 0.45])
    doc.paragraph(f"Người giữ hòm thư và chìa khóa: {box.keeper}.", indent=False)
    doc.heading("II. NỘI DUNG")
    seal = SEAL_MINUTES_TEXT[opening.seal_condition]
    doc.paragraph(f"1. Tình trạng hòm thư trước khi mở: {seal}.")
    doc.paragraph(
        f"2. Số thư thu được trong hòm: {opening.letters_found:02d} thư. Các thư được "
        "giữ nguyên, chuyển Ban Thường trực Ủy ban MTTQ để vào sổ và xử lý theo quy "
        "định; danh tính người gửi (nếu có) được giữ bí mật."
    )
    if opening.notes.strip():
        doc.paragraph(f"3. Ghi chú: {opening.notes.strip()}")
    doc.paragraph(
        "Biên bản lập xong, đã đọc lại cho những người có mặt cùng nghe, thống nhất "
        "và ký tên dưới đây."
    )
    signers = [Signer("Người giữ hòm thư", box.keeper)]
    # A keeper who also witnessed signs once, as the keeper.
    signers += [
        Signer(w.get("role") or "Người chứng kiến", w["name"])
        for w in opening.witnesses
        if not _same_person(w["name"], box.keeper)
    ]
    doc.signatures(signers)
    doc.recipients([f"Ban Thường trực Ủy ban MTTQ {commune.name} (để b/c)"], archive="Lưu: BCTMT")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
