"""Reading generated Word documents in tests: every paragraph, including those in tables."""

from __future__ import annotations

import io

from docx import Document


def docx_texts(data: bytes) -> list[str]:
    """The text of each paragraph of the body, then of each table cell's paragraphs."""
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return texts
