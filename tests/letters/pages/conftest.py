"""Fixtures of the letters pages: CSRF on, the tenants' buckets, and letters uploaded through
the operation (posting batches like a browser is `tests.plugins.letters.upload_batch`)."""

from __future__ import annotations

import io

import pytest


@pytest.fixture()
def app(app, letter_buckets):
    # Page tests run with CSRF protection exactly as in production.
    app.config.update(WTF_CSRF_ENABLED=True)
    return app


@pytest.fixture()
def make_letters(in_tenant, principal_of, storage_of, journal_of):
    """`make_letters(opening, [[(bytes, name), …], …])` — letter ids, uploaded through the
    operation (committed in the test transaction)."""
    from giamsat.letters import operations
    from giamsat.letters.scans import IncomingFile

    def make(opening, letters, slug="alpha", who="x-staff") -> list[int]:
        with in_tenant(slug) as scope:
            created = operations.upload_letters(
                scope.session,
                principal_of(slug, who),
                opening.id,
                [
                    [IncomingFile(io.BytesIO(body), name) for body, name in files]
                    for files in letters
                ],
                storage=storage_of(slug),
                journal=journal_of(slug),
            )
            scope.session.commit()
            return [letter.id for letter in created]

    return make
