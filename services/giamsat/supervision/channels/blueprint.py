"""The blueprint of the channels' pages (its own templates folder) and what every page of it
shows; the handlers are in `views` (voter meetings) and `register_views` (attendance, respected
people)."""

from __future__ import annotations

from flask import Blueprint, url_for

from giamsat.accounts.permissions import who_can
from giamsat.core import clock
from giamsat.supervision.channels import labels
from giamsat.supervision.channels.masking import masked_contact

# Named after the package, so "templates" is the channels' own folder.
bp = Blueprint(
    "supervision_channels",
    "giamsat.supervision.channels",
    url_prefix="/t/<tenant>/supervision",
    template_folder="templates",
)


@bp.context_processor
def _channel_labels():
    from giamsat.supervision import labels as sv

    return {
        "ch": labels,
        "sv": sv,
        "who_can": who_can,
        "masked_contact": masked_contact,
        "sv_today": clock.today,
    }


def page_url(endpoint: str, **kwargs) -> str:
    return url_for(f"supervision_channels.{endpoint}", **kwargs)
