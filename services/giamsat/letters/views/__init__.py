"""Pages of suggestion boxes (hòm thư góp ý): the box register of a commune, openings with their
minutes, the batch upload of scanned letters, and the letter viewer.

One blueprint; each resource module below adds its routes to it (endpoints stay
`letters_pages.<view function>`)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

from giamsat.accounts.permissions import who_can

# The templates and static files live beside the package (letters/templates, letters/static).
bp = Blueprint(
    "letters_pages",
    __name__,
    url_prefix="/t/<tenant>/letters",
    root_path=str(Path(__file__).resolve().parent.parent),
    template_folder="templates",
    static_folder="static",
)


@bp.context_processor
def _who_can():
    # Where a page hides an action from the viewer's role it says who can do it.
    return {"who_can": who_can}


from giamsat.letters.views import boxes, case_panel, filters, openings, uploads, viewer  # noqa: E402,F401
