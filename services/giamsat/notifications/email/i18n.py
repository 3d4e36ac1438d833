"""This package's own catalog, loaded without Flask: emails are written in worker processes."""

from __future__ import annotations

import gettext as _gettext
from functools import lru_cache
from pathlib import Path

from babel.support import Translations

CATALOG_DIR = Path(__file__).resolve().parent / "translations"
LOCALES = ("vi", "en")


@lru_cache(maxsize=8)
def translations_for(locale: str | None) -> _gettext.NullTranslations:
    """Vietnamese msgids need no catalog; other known locales load theirs (English)."""
    if locale not in LOCALES or locale == "vi":
        return _gettext.NullTranslations()
    return Translations.load(str(CATALOG_DIR), [locale])
