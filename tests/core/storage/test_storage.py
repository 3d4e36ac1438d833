"""The storage adapter against a real S3 server: round trips, keys, credentials, deletes."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re

import pytest

from giamsat.core.storage import (
    IterStream,
    ObjectMissing,
    StorageError,
    check_storage,
    ensure_bucket,
    new_key,
    storage_for,
    validate_key,
)
from tests.plugins.s3server import closed_port


def test_small_object_round_trip(alpha_storage):
    key = new_key("letters")
    stat = alpha_storage.put(key, io.BytesIO(b"Kinh gui Uy ban"), 15, "text/plain")
    assert stat.size == 15

    assert alpha_storage.exists(key)
    info = alpha_storage.stat(key)
    assert (info.size, info.content_type) == (15, "text/plain")
    assert info.etag == hashlib.md5(b"Kinh gui Uy ban").hexdigest()
    with alpha_storage.open(key) as reader:
        assert reader.read() == b"Kinh gui Uy ban"
    with alpha_storage.open(key, offset=5, length=3) as reader:
        assert reader.read() == b"gui"
        assert reader.stat.size == 15  # the whole object's size, not the range's


@pytest.mark.parametrize("length", [0, -1])
def test_empty_object(alpha_storage, length):
    key = new_key("letters")
    assert alpha_storage.put(key, io.BytesIO(b""), length).size == 0
    assert alpha_storage.stat(key).size == 0
    with alpha_storage.open(key) as reader:
        assert reader.read() == b""


def test_put_streams_an_iterable_of_unknown_length(alpha_storage):
    chunks = [bytes([i]) * 1000 for i in range(50)]
    key = new_key("cases/attachments")
    assert alpha_storage.put(key, (c for c in chunks)).size == 50_000
    with alpha_storage.open(key) as reader:
        assert b"".join(reader) == b"".join(chunks)


def test_declared_length_longer_than_the_data_fails_and_leaves_nothing(alpha_storage):
    key = new_key("letters")
    with pytest.raises(StorageError) as caught:
        alpha_storage.put(key, io.BytesIO(b"short"), 10)
    assert caught.value.code == "IncompleteBody"
    assert not alpha_storage.exists(key)


def test_a_failing_source_stream_is_not_blamed_on_storage(alpha_storage):
    def broken():
        yield b"x" * 1000
        raise OSError("disk read error")

    key = new_key("letters")
    with pytest.raises(OSError, match="disk read error") as caught:
        alpha_storage.put(key, broken())
    assert not isinstance(caught.value, StorageError)
    assert not alpha_storage.exists(key)


def test_delete_removes_the_object_and_tolerates_missing_keys(alpha_storage):
    key = new_key("letters")
    alpha_storage.put(key, io.BytesIO(b"abc"), 3)
    alpha_storage.delete(key)
    assert not alpha_storage.exists(key)
    with pytest.raises(ObjectMissing):
        alpha_storage.open(key)
    with pytest.raises(ObjectMissing):
        alpha_storage.stat(key)
    alpha_storage.delete(key)  # already gone: no error


def test_new_keys_are_fresh_and_server_shaped():
    keys = {new_key("letters/scans") for _ in range(100)}
    assert len(keys) == 100
    assert all(re.fullmatch(r"letters/scans/\d{4}/\d{2}/[0-9a-f]{32}", k) for k in keys)
    for bad_prefix in ("", "/letters", "Letters", "a/../b", "thư"):
        with pytest.raises(ValueError):
            new_key(bad_prefix)


@pytest.mark.parametrize(
    "key",
    ["../etc/passwd", "/abs", "a//b", "a/../b", "Thu gop y.pdf", "a/b/", "x" * 513, "đơn.pdf"],
)
def test_keys_callers_could_have_typed_are_refused(alpha_storage, key):
    with pytest.raises(ValueError):
        validate_key(key)
    with pytest.raises(ValueError):
        alpha_storage.put(key, io.BytesIO(b"x"), 1)


def test_bucket_names_are_validated_before_any_request(s3_config):
    for bad in ("Giamsat-Alpha", "ab", "a_b-c", "-alpha", "alpha-", "a--b"):
        with pytest.raises(ValueError):
            storage_for(bad, s3_config)
        with pytest.raises(ValueError):
            ensure_bucket(s3_config, bad)


def test_ensure_bucket_is_idempotent(s3_config):
    name = f"{s3_config.bucket_prefix}-idem"
    assert ensure_bucket(s3_config, name) is True
    assert ensure_bucket(s3_config, name) is False
    storage = storage_for(name, s3_config)
    key = new_key("x")
    storage.put(key, io.BytesIO(b"1"), 1)
    assert ensure_bucket(s3_config, name) is False
    assert storage.exists(key)  # nothing was recreated or emptied


@pytest.mark.parametrize(
    "change,code",
    [
        ({"secret_key": "not-the-secret"}, "SignatureDoesNotMatch"),
        ({"access_key": "nobody"}, "InvalidAccessKeyId"),
    ],
)
def test_wrong_credentials_are_refused(s3_config, buckets, alpha_storage, change, code):
    wrong = dataclasses.replace(s3_config, **change)
    storage = storage_for(buckets["alpha"], wrong)
    key = new_key("letters")
    with pytest.raises(StorageError) as caught:
        storage.put(key, io.BytesIO(b"secret letter"), 13)
    assert caught.value.code == code
    assert "từ chối" in caught.value.message
    assert not alpha_storage.exists(key)

    alpha_storage.put(key, io.BytesIO(b"secret letter"), 13)
    for attempt in (
        lambda: storage.stat(key),
        lambda: storage.open(key),
        lambda: storage.delete(key),
        lambda: check_storage(wrong),
    ):
        with pytest.raises(StorageError) as caught:
            attempt()
        assert not isinstance(caught.value, ObjectMissing)
    with pytest.raises(StorageError):
        ensure_bucket(wrong, f"{s3_config.bucket_prefix}-intruder")
    assert alpha_storage.exists(key)  # the refused delete removed nothing
    assert wrong.secret_key not in repr(wrong)


def test_unreachable_server_is_a_storage_error(s3_config, buckets):
    down = dataclasses.replace(s3_config, url=f"http://127.0.0.1:{closed_port()}")
    storage = storage_for(buckets["alpha"], down)
    with pytest.raises(StorageError) as caught:
        storage.put(new_key("letters"), io.BytesIO(b"x"), 1)
    assert caught.value.code  # the failing class, e.g. MaxRetryError
    assert "kết nối" in caught.value.message
    with pytest.raises(StorageError):
        check_storage(down, timeout=0.5)


def test_iter_stream_returns_exact_sizes():
    stream = IterStream(iter([b"ab", b"", b"cdef", b"g"]))
    assert stream.read(3) == b"abc"
    assert stream.read(10) == b"defg"
    assert stream.read(1) == b""
    stream = IterStream([b"abcdef"])
    assert (stream.read(2), stream.read(0), stream.read(10)) == (b"ab", b"", b"cdef")
