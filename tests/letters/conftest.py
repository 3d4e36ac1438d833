"""Fixtures of the letters tests: buckets, storage, journals, rules, boxes, openings and
generated scans (drawn by `tests.plugins.letters`)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from giamsat.core.storage import S3Config, storage_for
from giamsat.core.storage.minio import _client
from giamsat.letters import operations
from giamsat.letters.uploads import UploadJournal
from giamsat.tenancy.names import bucket_for, schema_for
from giamsat.units.models import TenantRule
from tests.plugins.letters import as_bytes, letter_page


@pytest.fixture(scope="session")
def letter_buckets(world):
    """Bucket names of the world tenants (the world fixture creates the buckets)."""
    return {slug: bucket_for(slug) for slug in ("alpha", "beta")}


@pytest.fixture()
def storage_of(settings, letter_buckets):
    return lambda slug: storage_for(letter_buckets[slug], settings)


@pytest.fixture()
def bucket_keys(settings, letter_buckets):
    """`bucket_keys("alpha", "letters/")` — every object key under a prefix right now."""
    client = _client(S3Config.from_settings(settings))

    def keys(slug: str, prefix: str = "letters/") -> set[str]:
        return {
            o.object_name
            for o in client.list_objects(letter_buckets[slug], prefix=prefix, recursive=True)
        }

    return keys


@pytest.fixture()
def journal_of(db):
    return lambda slug: UploadJournal(lambda: db.session(schema_for(slug)))


@pytest.fixture()
def set_rule(tenant_session):
    def put(slug: str, key: str, value) -> None:
        with tenant_session(slug) as session:
            session.merge(TenantRule(key=key, value=value, source="test"))
            session.commit()

    return put


@pytest.fixture()
def make_box(tenant_session, world, principal_of):
    def make(slug="alpha", who="x-staff", area="area_x", **fields):
        values = {
            "location": "Nhà văn hóa thôn Đông",
            "installed_on": dt.date(2026, 1, 5),
            "keeper": "Ông Hà Văn Sơn",
        }
        values.update(fields)
        with tenant_session(slug) as session:
            box = operations.create_box(
                session,
                principal_of(slug, who),
                area_id=getattr(getattr(world, slug), area),
                **values,
            )
            session.commit()
            return box

    return make


@pytest.fixture()
def make_opening(tenant_session, principal_of, storage_of, journal_of, make_box):
    def make(slug="alpha", who="x-staff", box=None, **fields):
        box = box or make_box(slug)
        values = {
            "opened_at": dt.datetime(2026, 2, 10, 8, 30),
            "witnesses": [
                {"name": "Nguyễn Văn An", "role": "Trưởng thôn"},
                {"name": "Trần Thị Bình", "role": "Chi hội trưởng phụ nữ"},
            ],
            "seal_condition": "intact",
            "letters_found": 2,
        }
        values.update(fields)
        with tenant_session(slug) as session:
            opening = operations.record_opening(
                session,
                principal_of(slug, who),
                box.id,
                storage=storage_of(slug),
                journal=journal_of(slug),
                **values,
            )
            session.commit()
            return opening

    return make


@pytest.fixture(scope="session")
def letter_jpeg() -> bytes:
    return as_bytes(letter_page(dpi=200).convert("RGB"), "JPEG", quality=85, dpi=(200, 200))


@pytest.fixture(scope="session")
def two_page_pdf() -> bytes:
    first = letter_page(dpi=150)
    second = letter_page(["Trang hai của thư góp ý", "Xin cảm ơn Ủy ban Mặt trận"], dpi=150)
    out = io.BytesIO()
    first.save(out, format="PDF", save_all=True, append_images=[second], resolution=150)
    return out.getvalue()


@pytest.fixture()
def in_tenant(db):
    """`with in_tenant("alpha") as scope:` — the tenant context a request or job has (needed by
    `record_job`), its session inside the test transaction."""
    from contextlib import contextmanager

    from sqlalchemy import select

    from giamsat.tenancy.context import tenant_context
    from giamsat.tenancy.models import Tenant

    @contextmanager
    def enter(slug: str):
        with db.session() as shared:
            tenant = shared.scalar(select(Tenant).where(Tenant.slug == slug))
        with tenant_context(db, tenant) as scope:
            yield scope

    return enter
