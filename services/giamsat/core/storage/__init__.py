"""Object storage behind a small interface; one bucket per tenant, bound inside the adapter.

Callers import from here: the interface (`interface.py`) and the factories below, which hand
out the S3 adapter (`minio.py`, the only module that imports the SDK)."""

from __future__ import annotations

from giamsat.core.storage.interface import (
    CHUNK_SIZE,
    DEFAULT_PRESIGN_EXPIRY,
    IterStream,
    MultipartWrite,
    ObjectMissing,
    ObjectReader,
    ObjectStat,
    S3Config,
    Storage,
    StorageError,
    _HasBucket,
    new_key,
    validate_bucket_name,
    validate_content_type,
    validate_key,
)
from giamsat.core.storage.minio import MinioStorage, check_connection
from giamsat.core.storage.minio import ensure_bucket as _ensure_bucket

__all__ = [
    "CHUNK_SIZE",
    "DEFAULT_PRESIGN_EXPIRY",
    "IterStream",
    "MultipartWrite",
    "ObjectMissing",
    "ObjectReader",
    "ObjectStat",
    "S3Config",
    "Storage",
    "StorageError",
    "check_storage",
    "ensure_bucket",
    "new_key",
    "storage_for",
    "validate_bucket_name",
    "validate_content_type",
    "validate_key",
]


def storage_for(tenant: _HasBucket | str, settings) -> Storage:
    """The adapter bound to one tenant's bucket: pass the TenantScope (or a bucket name)."""
    bucket = tenant if isinstance(tenant, str) else tenant.bucket_name
    return MinioStorage(S3Config.from_settings(settings), validate_bucket_name(bucket))


def ensure_bucket(settings, bucket_name: str) -> bool:
    """Create a tenant's bucket unless it exists. Returns True when it was created."""
    return _ensure_bucket(S3Config.from_settings(settings), validate_bucket_name(bucket_name))


def check_storage(settings, timeout: float = 2.0) -> None:
    """Raise StorageError unless S3 answers an authenticated request within `timeout` s."""
    check_connection(S3Config.from_settings(settings), timeout)
