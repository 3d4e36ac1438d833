"""Vietnamese by default, English on request (in the session and on the user); catalog health."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from giamsat.accounts.models import User
from giamsat.core.config import PROJECT_ROOT
from giamsat.web.setup import TRANSLATIONS_DIR
from tests.plugins.pages import text_of

EN_PO = TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = EN_PO.with_suffix(".mo")


def _lang(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_pages_are_vietnamese_by_default(pages):
    response = pages.get("/t/alpha/login")
    assert _lang(response) == "vi"
    assert "Tên đăng nhập" in text_of(response)


def test_anonymous_visitor_switches_to_english_for_the_session(pages):
    response = pages.post("/t/alpha/language", {"lang": "en", "next": "/t/alpha/login"})
    assert response.headers["Location"] == "/t/alpha/login"
    page = pages.get("/t/alpha/login")
    assert _lang(page) == "en"
    text = text_of(page)
    assert "Language switched to English." in text
    assert "Username" in text and "Tên đăng nhập" not in text
    assert "Tiếng Việt" in text  # the way back
    pages.post("/t/alpha/language", {"lang": "vi", "next": "/t/alpha/login"})
    assert _lang(pages.get("/t/alpha/login")) == "vi"


def test_language_switch_works_outside_a_tenant(pages):
    response = pages.post("/language", {"lang": "en", "next": "/"})
    assert response.headers["Location"] == "/"
    assert "Choose a province or city" in text_of(pages.get("/"))


def test_logged_in_choice_is_stored_on_the_user(pages, world, tenant_session, client, app):
    pages.login("alpha", "x-admin")
    response = pages.post("/t/alpha/language", {"lang": "en", "next": "/t/alpha/"})
    assert response.headers["Location"] == "/t/alpha/"
    home = text_of(pages.get("/t/alpha/"))
    assert "Residential areas" in home and "Add residential area" in home
    user = (
        tenant_session("alpha")
        .scalars(select(User).where(User.id == world.alpha.users["x-admin"]))
        .one()
    )
    assert user.locale == "en"
    # Another browser: the login page is Vietnamese, and the user's choice returns at login.
    other = app.test_client()
    token = (
        other.get("/t/alpha/login")
        .get_data(as_text=True)
        .split('name="csrf_token" value="', 1)[1]
        .split('"', 1)[0]
    )
    other.post(
        "/t/alpha/login",
        data={"csrf_token": token, "username": "alpha-x-admin", "password": world.password},
    )
    assert _lang(other.get("/t/alpha/")) == "en"


def test_unknown_language_and_foreign_next_are_refused(pages):
    response = pages.post("/t/alpha/language", {"lang": "fr", "next": "https://example.org/"})
    assert response.headers["Location"] == "/t/alpha/"
    page = pages.get("/t/alpha/login")
    assert _lang(page) == "vi" and "Ngôn ngữ không hợp lệ." in text_of(page)


def test_field_errors_follow_the_language(pages, world):
    pages.login("alpha", "x-admin")
    pages.post("/t/alpha/language", {"lang": "en"})
    response = pages.post(
        f"/t/alpha/units/{world.alpha.area_x}/retire",
        {"reason": "Merged", "valid_to": "99/99/2025"},
    )
    assert response.status_code == 422
    assert "Invalid date. Enter it as day/month/year" in text_of(response)


# --- catalog health ---------------------------------------------------------------------


def _english_catalogs() -> list[Path]:
    from giamsat.web.setup import translation_directories

    return [d / "en" / "LC_MESSAGES" / "messages.po" for d in translation_directories()]


def _read(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def _po():
    """All English catalogs (the shell's and each domain's) as one."""
    merged = _read(EN_PO)
    for path in _english_catalogs()[1:]:
        for message in _read(path):
            if message.id and message.id not in merged:
                merged[message.id] = message
    return merged


def test_every_msgid_has_an_english_translation():
    catalog = _po()
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
    problems = [(m.id, errors) for m, errors in catalog.check()]
    assert problems == []  # placeholders agree between msgid and translation


def test_compiled_catalog_matches_the_po():
    for po in _english_catalogs():
        with po.with_suffix(".mo").open("rb") as f:
            compiled = {m.id: m.string for m in read_mo(f) if m.id}
        assert compiled == {m.id: m.string for m in _read(po) if m.id}, po


def test_every_text_in_the_code_is_in_the_catalog():
    with (PROJECT_ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = dict(DEFAULT_KEYWORDS, _l=None, lazy_gettext=None)
    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(PROJECT_ROOT), method_map, options_map, keywords=keywords
        )
    }
    assert found, "babel.cfg finds no texts"
    missing = sorted(found - {m.id for m in _po()})
    assert missing == [], "run the pybabel steps in services/giamsat/translations/README.md"
