"""OCR quality on the generated set: product CER × raw `tesseract -l vie` CER, per file and per
category, as a Markdown table (the test `tests/letters/test_ocr_quality.py` holds the floor).

The product's path without a bucket: the upload's re-encoding (`letters.scans.strip_image`), then
the OCR job's page reading (`letters.ocr_reading.read_page`) on the cleaned file.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from giamsat.letters import ocr, ocr_reading, scans  # noqa: E402
from tests.plugins import ocr_corpus  # noqa: E402


def product_text(sample: ocr_corpus.Sample) -> tuple[str, list[str]]:
    handle, path = tempfile.mkstemp(prefix="ocr-bench-")
    with os.fdopen(handle, "wb") as out:
        out.write(sample.data)
    content_type = scans.sniff(sample.data[: scans.SNIFF_BYTES])
    stored = path if content_type == scans.PDF else scans.strip_image(path, content_type)[0]
    try:
        texts, how = [], []
        for page in ocr.iter_pages(stored, content_type):
            read = ocr_reading.read_page(page)
            texts.append(read.reading.text)
            how.append(f"{read.candidate} @ {read.dpi} dpi")
        return "\n\n".join(texts), how
    finally:
        os.unlink(path)
        if stored != path:
            os.unlink(stored)


def main() -> None:
    by_category: dict[str, list[tuple[float, float]]] = defaultdict(list)
    print("| file | category | product CER | raw CER | product s | kept |")
    print("|---|---|---|---|---|---|")
    for sample in ocr_corpus.corpus():
        started = time.monotonic()
        text, how = product_text(sample)
        seconds = time.monotonic() - started
        mine = ocr_corpus.cer(sample.truth, text)
        theirs = ocr_corpus.cer(sample.truth, ocr_corpus.raw_tesseract(sample))
        by_category[sample.category].append((mine, theirs))
        print(
            f"| {sample.filename} | {sample.category} | {mine:.3f} | {theirs:.3f} "
            f"| {seconds:.1f} | {', '.join(how)} |",
            flush=True,
        )
    print("\n| category | files | product CER | raw tesseract CER |")
    print("|---|---|---|---|")
    for category, pairs in by_category.items():
        mine = statistics.mean(p[0] for p in pairs)
        theirs = statistics.mean(p[1] for p in pairs)
        print(f"| {category} | {len(pairs)} | {mine:.3f} | {theirs:.3f} |")


if __name__ == "__main__":
    main()
