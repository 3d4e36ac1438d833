"""A read letter gives its case words: the title from the letter's first meaningful line, the
content from its OCR text (an excerpt of a long letter; the whole text is in the letter viewer).

Until then a letter's case carries the upload's placeholder, the same for every letter of an
opening: such a case is no "similar text" hint (`case_text_pending`). A case whose title or
content staff have corrected is never overwritten.
"""

from __future__ import annotations

import re

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import Session

from giamsat.cases import workflow
from giamsat.cases.models import Case, CaseEvent
from giamsat.cases.queries import fold
from giamsat.core import audit
from giamsat.letters.models import Letter, LetterPage, OcrStatus

TITLE_CHARS = 120
EXCERPT_CHARS = 1500
#: A line needs this many letters to say anything (OCR noise and stamps have fewer).
MIN_LETTERS = 8
#: Folded beginnings of lines that are form, not subject: the national motto, the greeting,
#: the place and date, the signature block — and the writer introducing themselves: the title
#: may appear in notifications and e-mails, the sender's identity never may.
_FORM = re.compile(
    r"^(cong hoa xa hoi|doc lap\W+tu do|kinh gui|kinh thua|kinh trinh|dong kinh gui|"
    r"xin chao|[\w ]{0,30}ngay\W*\d{0,2}\W*thang|nguoi (viet|gui|lam) don|ho (va )?ten\b|"
    r"dia chi\b|so dien thoai|dien thoai\b|sdt\b|ky ten|"
    r"(toi|chung toi|em|chau) (ten )?(la|gom)\b|ten (toi|em|chau) la|"
    r"(so )?(cmnd|cccd|can cuoc)\b|sinh nam\b|tru (tai|quan)\b|thuong tru\b|hien o\b)"
)
#: Document-type headings: every letter of a box starts like this, so they name nothing.
_HEADINGS = re.compile(
    r"^((don|thu|phieu)( thu)?( (gop y|phan anh|kien nghi|khieu nai|to cao|de nghi|trinh bay|"
    r"xin|cam on))*|gop y|phan anh|kien nghi)$"
)
_SUBJECT = re.compile(r"^\s*(v/v|v\.v|ve viec)\s*[:.\-–]?\s*", re.IGNORECASE)
_TRIM = " \t-–—•*_.:;,|'\"“”‘’()[]"


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _meaningful(line: str) -> bool:
    folded = " ".join(re.sub(r"[^\w/ ]", " ", fold(line)).split())
    if _letters(line) < MIN_LETTERS or _letters(line) < 0.6 * len(line.replace(" ", "")):
        return False
    return not _FORM.match(folded) and not _HEADINGS.match(folded)


def first_meaningful_line(text: str) -> str | None:
    """The first line that says what the letter is about: a "V/v …" subject as its subject,
    else the first line that is neither form (motto, greeting, date) nor a bare heading."""
    for raw in text.splitlines():
        line = " ".join(raw.split()).strip(_TRIM)
        subject = _SUBJECT.match(line)
        if subject:
            line = line[subject.end() :].strip(_TRIM)
        if line and _meaningful(line):
            return line
    return None


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(_TRIM)
    return cut + "…"


def title_from(line: str) -> str:
    """A title from a line: shortened at a word, an all-capitals heading in sentence case."""
    if line.isupper():
        line = line[:1] + line[1:].lower()
    return _cut(line, TITLE_CHARS)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The text with its blank-line runs closed up, cut at a word after `limit` characters."""
    text = re.sub(r"\n{3,}", "\n\n", text.strip())
    return _cut(text, limit)


def _edited(session: Session, case: Case) -> bool:
    return bool(
        session.scalar(
            exists().where(CaseEvent.case_id == case.id, CaseEvent.action == "edit").select()
        )
    )


def fill_case(session: Session, case: Case, text: str) -> bool:
    """Give the case the letter's words (flush only); False when it keeps its own."""
    text = text.strip()
    if not text or case.status not in workflow.EDITABLE or _edited(session, case):
        return False
    line = first_meaningful_line(text)
    title = title_from(line) if line else case.title
    content = excerpt(text)
    if (title, content) == (case.title, case.content):
        return False
    before = {"title": case.title, "content": case.content}
    case.title, case.content = title, content
    audit.record(
        session,
        action="text_from_ocr",
        object_type="case",
        object_id=case.id,
        changes=audit.diff(before, {"title": title, "content": content}),
    )
    session.flush()
    return True


def refresh_search_extra(session: Session, case_id: int) -> None:
    """Give the case the folded OCR text of its letters' pages (every version), which the
    cases search matches beside the case's own words (flush only)."""
    pages = (
        select(func.coalesce(func.string_agg(LetterPage.search_text, " "), ""))
        .where(LetterPage.case_id == case_id, LetterPage.search_text.is_not(None))
        .scalar_subquery()
    )
    session.execute(
        # The case's own words did not change: `updated_at` (its ETag) stays as it is.
        update(Case)
        .where(Case.id == case_id)
        .values(search_extra=pages, updated_at=Case.updated_at)
        .execution_options(synchronize_session=False)
    )


def case_text_pending():
    """A clause on Case: a letter's case still carrying the upload's placeholder words (no
    version of its letter read yet, and not corrected by hand)."""
    return and_(
        exists().where(Letter.case_id == Case.id),
        ~exists().where(Letter.case_id == Case.id, Letter.ocr_status == OcrStatus.done),
        ~exists().where(CaseEvent.case_id == Case.id, CaseEvent.action == "edit"),
    )
