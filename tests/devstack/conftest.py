"""Fixtures for the embedded dev stack tests: a scratch folder the PostgreSQL user can reach."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest


@pytest.fixture()
def scratch():
    # Not pytest's tmp_path: its base folder is 0700 and, as root, the embedded server runs as
    # another user who must be able to walk down to its data directory.
    folder = Path(tempfile.mkdtemp(prefix="giamsat-devstack-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
