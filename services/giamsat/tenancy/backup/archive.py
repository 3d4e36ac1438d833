"""The archive format: a tar whose first member, manifest.json, lists every other member with
its sha256; nothing is trusted (or restored) before every checksum matches.

    manifest.json          format and app version, migration revisions, tenant, members
    tables/<table>.csv     one COPY (CSV, header) per tenant table, in load order
    sequences.json         each sequence's position in the tenant schema
    shared/outbox.csv      the tenant's job outbox rows (shared schema), without shared ids
    objects/<n>            the bucket's objects (key and content type in the manifest)

Reporter-data keys travel only as `tables/data_keys.csv`: wrapped by a master key, which is
never written anywhere; the manifest names the master key ids a restore needs.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

FORMAT = "giamsat-tenant-backup"
#: Bumped when the layout changes; a restore refuses formats it does not know.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive is unreadable, altered, or of a format this version cannot restore."""


class HashingWriter:
    """A binary file that also counts and hashes what goes through it."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.size = 0
        self._hash = hashlib.sha256()

    def write(self, data: bytes | bytearray | memoryview) -> int:
        data = bytes(data)
        self._hash.update(data)
        self.size += len(data)
        return self.raw.write(data)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


@dataclass
class Staged:
    """A member written to the staging folder, with its checksum."""

    name: str
    path: Path
    size: int
    sha256: str


def stage(folder: Path, name: str) -> tuple[HashingWriter, Path]:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return HashingWriter(path.open("wb")), path


def close_staged(name: str, writer: HashingWriter, path: Path) -> Staged:
    writer.raw.close()
    return Staged(name=name, path=path, size=writer.size, sha256=writer.sha256)


def write_archive(output: Path, manifest: dict[str, Any], members: list[Staged]) -> str:
    """Write the tar (manifest first) next to `output`, then move it in place. Returns the
    sha256 of the whole archive, also written to `<output>.sha256` (`sha256sum -c` reads it)."""
    manifest = {
        **manifest,
        "members": {m.name: {"size": m.size, "sha256": m.sha256} for m in members},
    }
    body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
    partial = output.with_name(output.name + ".part")
    with tarfile.open(partial, "w:gz") as tar:
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        info.mode = 0o600
        tar.addfile(info, io.BytesIO(body))
        for member in members:
            info = tarfile.TarInfo(member.name)
            info.size = member.size
            info.mode = 0o600
            with member.path.open("rb") as source:
                tar.addfile(info, source)
    digest = file_sha256(partial)
    partial.replace(output)
    output.with_name(output.name + ".sha256").write_text(f"{digest}  {output.name}\n")
    return digest


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class Archive:
    """An opened archive whose manifest and every member's checksum have been verified."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self._tar = tarfile.open(path, "r:gz")
            first = self._tar.next()
            if first is None or first.name != MANIFEST:
                raise ArchiveError(f"{path}: the first member is not {MANIFEST}")
            self.manifest = json.load(self._extract(first))
        except (OSError, tarfile.TarError, ValueError) as error:
            raise ArchiveError(f"{path}: not a readable tenant backup ({error})") from None
        if self.manifest.get("format") != FORMAT:
            raise ArchiveError(f"{path}: not a {FORMAT} archive")
        version = self.manifest.get("format_version")
        if version != FORMAT_VERSION:
            raise ArchiveError(
                f"{path}: format version {version!r}; this version restores {FORMAT_VERSION}"
            )

    def _extract(self, member: tarfile.TarInfo) -> IO[bytes]:
        handle = self._tar.extractfile(member)
        if handle is None:
            raise ArchiveError(f"{self.path}: {member.name} is not a file")
        return handle

    def verify(self) -> int:
        """Check every member against the manifest; no extra or missing member. Returns the
        number of members checked."""
        expected = dict(self.manifest.get("members", {}))
        seen = 0
        for member in self._tar.getmembers()[1:]:
            want = expected.pop(member.name, None)
            if want is None:
                raise ArchiveError(f"{self.path}: {member.name} is not in the manifest")
            digest = hashlib.sha256()
            for chunk in self._chunks(member):
                digest.update(chunk)
            if digest.hexdigest() != want["sha256"] or member.size != want["size"]:
                raise ArchiveError(f"{self.path}: {member.name} does not match its checksum")
            seen += 1
        if expected:
            raise ArchiveError(f"{self.path}: missing member(s): {', '.join(sorted(expected))}")
        return seen

    def _chunks(self, member: tarfile.TarInfo) -> Iterator[bytes]:
        handle = self._extract(member)
        while chunk := handle.read(CHUNK):
            yield chunk

    def chunks(self, name: str) -> Iterator[bytes]:
        return self._chunks(self._tar.getmember(name))

    def open(self, name: str) -> IO[bytes]:
        return self._extract(self._tar.getmember(name))

    def close(self) -> None:
        self._tar.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
