"""State changes of suggestion boxes, openings and letters. Flush only, never commit; audit
every write (the actor and request id from `core.acting`); Vietnamese errors (422 with field
errors, 403, 404). The package re-exports what the views, the API and tests call."""

from giamsat.letters.operations.boxes import (
    DEFAULT_KEY_HOLDER,
    create_box,
    next_label_code,
    qr_target,
    update_box,
)
from giamsat.letters.operations.common import BOX_KEEPERS, LETTER_HANDLERS
from giamsat.letters.operations.letters import (
    MAX_FILES_PER_LETTER,
    MAX_LETTERS_PER_BATCH,
    OCR_JOB,
    rescan_letter,
    retry_ocr,
    upload_letters,
)
from giamsat.letters.operations.openings import (
    minimum_witnesses,
    minutes_required,
    record_opening,
)

__all__ = [
    "BOX_KEEPERS",
    "DEFAULT_KEY_HOLDER",
    "LETTER_HANDLERS",
    "MAX_FILES_PER_LETTER",
    "MAX_LETTERS_PER_BATCH",
    "OCR_JOB",
    "create_box",
    "minimum_witnesses",
    "minutes_required",
    "next_label_code",
    "qr_target",
    "record_opening",
    "rescan_letter",
    "retry_ocr",
    "update_box",
    "upload_letters",
]
