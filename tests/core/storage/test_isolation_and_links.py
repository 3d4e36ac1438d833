"""Tenant A's objects are out of tenant B's reach; presigned links work, expire, fit one key."""

from __future__ import annotations

import io
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import select

from giamsat.core.storage import ObjectMissing, ensure_bucket, new_key, storage_for
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant


def _fetch(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=path))


def test_tenant_b_cannot_reach_tenant_a_objects(alpha_storage, beta_storage):
    key = new_key("letters")
    alpha_storage.put(key, io.BytesIO(b"thu cua alpha"), 13)

    assert not beta_storage.exists(key)
    with pytest.raises(ObjectMissing):
        beta_storage.open(key)
    with pytest.raises(ObjectMissing):
        beta_storage.stat(key)
    beta_storage.delete(key)
    status, _, _ = _fetch(beta_storage.presigned_get(key))
    assert status == 404

    with alpha_storage.open(key) as reader:  # untouched by everything B tried
        assert reader.read() == b"thu cua alpha"


def test_storage_for_binds_a_tenant_scope_to_its_registry_bucket(db, s3_config):
    with db.session() as shared:
        alpha, beta = (
            shared.scalar(select(Tenant).where(Tenant.slug == slug)) for slug in ("alpha", "beta")
        )
    for tenant in (alpha, beta):
        ensure_bucket(s3_config, tenant.bucket_name)
    key = new_key("letters")
    with tenant_context(db, alpha) as scope:
        storage_for(scope, s3_config).put(key, io.BytesIO(b"a"), 1)
        # Nested into beta (as a job might be): same key, different bucket.
        with tenant_context(db, beta) as inner:
            assert not storage_for(inner, s3_config).exists(key)
        assert storage_for(scope, s3_config).exists(key)
    assert storage_for(alpha.bucket_name, s3_config).exists(key)


def test_presigned_link_downloads_the_object_under_its_original_name(alpha_storage):
    key = new_key("letters")
    alpha_storage.put(key, io.BytesIO(b"%PDF-1.4 thu"), 12, "application/pdf")

    status, body, headers = _fetch(
        alpha_storage.presigned_get(key, download_name="Thư góp ý - Đội 3.pdf")
    )
    assert (status, body) == (200, b"%PDF-1.4 thu")
    disposition = headers.get("Content-Disposition", "")
    assert 'filename="Thu gop y - Doi 3.pdf"' in disposition
    assert "filename*=UTF-8''Th%C6%B0%20g%C3%B3p" in disposition


def test_presigned_link_is_bound_to_its_key_and_bucket(alpha_storage, beta_storage, buckets):
    shown, other = new_key("letters"), new_key("letters")
    alpha_storage.put(shown, io.BytesIO(b"shown"), 5)
    alpha_storage.put(other, io.BytesIO(b"other"), 5)
    url = alpha_storage.presigned_get(shown)
    assert _fetch(url)[0] == 200

    # Same signature, another key or another tenant's bucket: refused by the signature check.
    for path in (f"/{buckets['alpha']}/{other}", f"/{buckets['beta']}/{shown}"):
        status, body, _ = _fetch(_with_path(url, path))
        assert status == 403, path
        assert b"other" not in body
    assert _fetch(url.replace("X-Amz-Expires=300", "X-Amz-Expires=9999"))[0] == 403


def test_presigned_link_expires(alpha_storage):
    import datetime as dt

    key = new_key("letters")
    alpha_storage.put(key, io.BytesIO(b"soon gone"), 9)
    url = alpha_storage.presigned_get(key, expires=dt.timedelta(seconds=1))
    assert _fetch(url)[0] == 200
    time.sleep(2.5)
    assert _fetch(url)[0] == 403


def test_default_link_lifetime_is_five_minutes(alpha_storage):
    url = alpha_storage.presigned_get(new_key("letters"))
    assert "X-Amz-Expires=300" in url


def test_links_use_the_public_url_when_one_is_set(s3_config, buckets):
    import dataclasses

    public = dataclasses.replace(s3_config, public_url="https://tep.mttq.example.vn")
    url = storage_for(buckets["alpha"], public).presigned_get("letters/2026/01/abc")
    assert url.startswith(f"https://tep.mttq.example.vn/{buckets['alpha']}/letters/2026/01/abc?")
    assert "X-Amz-Signature=" in url
