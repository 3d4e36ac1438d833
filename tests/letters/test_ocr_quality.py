"""OCR quality: the product reads every kind of input at least as well as raw `tesseract -l vie`
on the original file, measured in the same run on the generated set (tests.plugins.ocr_corpus).

The product's path is the real one: the upload (sniff, metadata stripped by re-encoding, EXIF
orientation applied) into the bucket, then the OCR job on the stored object."""

from __future__ import annotations

import statistics
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from giamsat.letters import jobs, queries
from giamsat.letters.models import Letter
from tests.plugins import ocr_corpus
from tests.plugins.letters import incoming

#: Rounding noise of a mean CER: a category "equal" to raw may differ by a character or so.
TOLERANCE = 0.002


def test_product_ocr_is_at_least_as_good_as_raw_tesseract_on_every_category(
    make_opening, in_tenant, principal_of, storage_of, journal_of, tenant_session
):
    from giamsat.letters import operations

    samples = ocr_corpus.corpus()
    opening = make_opening()
    with in_tenant("alpha") as scope:
        created = operations.upload_letters(
            scope.session,
            principal_of("alpha", "x-staff"),
            opening.id,
            [[incoming(s.data, s.filename)] for s in samples],
            storage=storage_of("alpha"),
            journal=journal_of("alpha"),
        )
        scope.session.commit()
        letter_ids = [letter.id for letter in created]
    # Raw tesseract runs beside the product (both spend their time in tesseract, one thread each).
    with ThreadPoolExecutor(max_workers=1) as pool:
        raw_texts = pool.map(ocr_corpus.raw_tesseract, samples)
        product_texts = []
        with tenant_session("alpha") as session:
            for letter_id in letter_ids:
                assert jobs.process_letter(session, storage_of("alpha"), letter_id) == "done"
                product_texts.append(queries.letter_text(session, session.get(Letter, letter_id)))
            session.commit()
        raw_texts = list(raw_texts)

    product, raw = defaultdict(list), defaultdict(list)
    for sample, mine, theirs in zip(samples, product_texts, raw_texts, strict=True):
        product[sample.category].append(ocr_corpus.cer(sample.truth, mine))
        raw[sample.category].append(ocr_corpus.cer(sample.truth, theirs))
    table = {c: (statistics.mean(product[c]), statistics.mean(raw[c])) for c in product}
    print("\ncategory × product CER × raw tesseract CER")
    for category, (mine, theirs) in table.items():
        print(f"{category:14} {mine:.3f} {theirs:.3f}")

    assert set(table) == {"clean", "fax", "grey", "pdf", "photo", "photo_rotated"}
    worse = {c: v for c, v in table.items() if v[0] > v[1] + TOLERANCE}
    assert not worse, f"worse than raw tesseract: {worse}"
    # Better where raw tesseract struggles: phone photos, and pages turned without EXIF.
    assert table["photo"][0] < table["photo"][1] and table["photo"][0] <= 0.03
    assert table["photo_rotated"][0] <= 0.03 < table["photo_rotated"][1]


def test_screen_and_camera_resolutions_are_not_taken_for_a_scan():
    from giamsat.letters.ocr import trusted_dpi

    assert trusted_dpi((72.0, 72.0)) is None and trusted_dpi(96) is None
    assert trusted_dpi(None) is None and trusted_dpi("x") is None
    assert trusted_dpi((204.0, 196.0)) == 204.0 and trusted_dpi(300) == 300


def test_the_letters_height_tells_the_resolution_of_a_page_without_one():
    import numpy as np

    from giamsat.letters.ocr_reading import estimated_dpi

    for dpi in (150, 300):
        page, _ = ocr_corpus.render_page(ocr_corpus.letter_lines(dpi), "sans", dpi=dpi)
        assert abs(estimated_dpi(np.asarray(page)) - dpi) < dpi * 0.2
