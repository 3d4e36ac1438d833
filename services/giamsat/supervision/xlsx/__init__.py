"""The XLSX list of people under supervision: its layout (`layout`), the checked two-step
import (`reading`) and the template and export (`writing`). The names below are what the
pages and the API use."""

from giamsat.supervision.xlsx.layout import XLSX_MIMETYPE
from giamsat.supervision.xlsx.reading import (
    MAX_FILE_BYTES,
    ImportPreview,
    checked_list,
    import_people,
    preview_people_import,
)
from giamsat.supervision.xlsx.writing import CHOICES_SHEET, export_people, template_workbook

__all__ = [
    "CHOICES_SHEET",
    "MAX_FILE_BYTES",
    "XLSX_MIMETYPE",
    "ImportPreview",
    "checked_list",
    "export_people",
    "import_people",
    "preview_people_import",
    "template_workbook",
]
