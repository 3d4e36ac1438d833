"""Multipart parts taken from a file on disk go by sendfile from the file's position, exactly
`length` bytes; a file that ends early fails the part and nothing is stored."""

from __future__ import annotations

import os
import socket

import pytest

from giamsat.core.storage import StorageError, new_key, single_put

PART = 5 * 1024 * 1024  # S3's minimum for every part but the last


@pytest.fixture()
def sendfile_calls(monkeypatch):
    calls = []
    real = socket.socket.sendfile

    def counting(self, file, offset=0, count=None):
        calls.append((offset, count))
        return real(self, file, offset, count)

    monkeypatch.setattr(socket.socket, "sendfile", counting)
    return calls


def _stored(storage, key: str) -> bytes:
    with storage.open(key) as reader:
        return reader.read()


def _two_parts(storage, path, tail: int) -> str:
    """The file's first PART bytes, then `tail` bytes from PART on, as one object."""
    key = new_key("tests/sendfile")
    write = storage.begin_multipart(key, "application/pdf")
    with open(path, "rb") as handle:
        write.put_part(1, handle, PART)
        handle.seek(PART)
        write.put_part(2, handle, tail)
    write.complete()
    return key


def test_parts_from_file_positions_by_sendfile(alpha_storage, tmp_path, sendfile_calls):
    data = os.urandom(PART + 300_000)
    path = tmp_path / "scan.pdf"
    path.write_bytes(data)
    key = _two_parts(alpha_storage, path, 200_000)  # not to the end of the file
    assert _stored(alpha_storage, key) == data[: PART + 200_000]
    assert sendfile_calls == [(0, PART), (PART, 200_000)]


def test_tls_connections_copy_the_same_bytes(alpha_storage, tmp_path, sendfile_calls, monkeypatch):
    monkeypatch.setattr(single_put, "kernel_sends", lambda sock: False)
    data = os.urandom(PART + 100_000)
    path = tmp_path / "scan.pdf"
    path.write_bytes(data)
    key = _two_parts(alpha_storage, path, 100_000)
    assert _stored(alpha_storage, key) == data
    assert sendfile_calls == []


@pytest.mark.parametrize("kernel", [True, False])
def test_file_shorter_than_the_part_stores_nothing(alpha_storage, tmp_path, monkeypatch, kernel):
    monkeypatch.setattr(single_put, "kernel_sends", lambda sock: kernel)
    path = tmp_path / "short.pdf"
    path.write_bytes(os.urandom(1_000_000))
    key = new_key("tests/sendfile")
    write = alpha_storage.begin_multipart(key, "application/pdf")
    with open(path, "rb") as handle, pytest.raises(StorageError) as failed:
        write.put_part(1, handle, 2_000_000)
    assert failed.value.code == "IncompleteBody"
    write.abort()
    assert not alpha_storage.exists(key)
