"""Template filters of the letters templates."""

from __future__ import annotations

import datetime as dt

from giamsat.core import clock
from giamsat.letters.labels import BOX_STATUS_LABELS, OCR_STATUS_LABELS, SEAL_LABELS
from giamsat.letters.models import BoxStatus, OcrStatus, SealCondition
from giamsat.letters.views import bp


@bp.app_template_filter("box_status")
def _box_status(value) -> str:
    return str(BOX_STATUS_LABELS.get(BoxStatus(value), value)) if value else ""


@bp.app_template_filter("seal_condition")
def _seal(value) -> str:
    return str(SEAL_LABELS.get(SealCondition(value), value)) if value else ""


@bp.app_template_filter("ocr_status")
def _ocr(value) -> str:
    # str() at render time, so the label follows the page's language.
    return str(OCR_STATUS_LABELS.get(OcrStatus(value), value)) if value else ""


@bp.app_template_filter("local_time")
def _local_time(moment: dt.datetime | None) -> str:
    return moment.astimezone(clock.zone()).strftime("%H:%M %d/%m/%Y") if moment else ""
