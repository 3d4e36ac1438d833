"""Storage fixtures: the shared S3 server and two tenants' buckets on it."""

from __future__ import annotations

import pytest

from giamsat.core.storage import ensure_bucket, storage_for


@pytest.fixture(scope="session")
def buckets(s3_config):
    """Bucket names of two tenants, created once."""
    names = {slug: f"{s3_config.bucket_prefix}-{slug}" for slug in ("alpha", "beta")}
    for name in names.values():
        ensure_bucket(s3_config, name)
    return names


@pytest.fixture()
def alpha_storage(s3_config, buckets):
    return storage_for(buckets["alpha"], s3_config)


@pytest.fixture()
def beta_storage(s3_config, buckets):
    return storage_for(buckets["beta"], s3_config)
