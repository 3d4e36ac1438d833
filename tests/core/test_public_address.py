"""The public address labels and mails use: set, well-formed, reachable from outside."""

from __future__ import annotations

import pytest

from giamsat.core import mailer, public_address
from giamsat.core.config import Settings


def test_default_is_unset_and_says_what_to_set():
    settings = Settings()
    assert settings.public_base_url == ""
    assert public_address.base_url(settings) is None
    assert "GIAMSAT_PUBLIC_BASE_URL" in public_address.problem(settings)
    assert mailer.public_base_url(settings) == ""  # mails then carry no link, never 127.0.0.1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5000",
        "http://127.1.2.3",
        "http://localhost",
        "http://app.localhost/",
        "http://[::1]:8000",
        "http://0.0.0.0",
    ],
)
def test_loopback_counts_as_unset_except_in_development(url):
    assert public_address.base_url(Settings(public_base_url=url)) is None
    assert public_address.base_url(Settings(public_base_url=url, dev=True)) == url.rstrip("/")


@pytest.mark.parametrize("url", ["giamsat.vn", "ftp://giamsat.vn", "https://", "  "])
def test_malformed_addresses_are_refused(url):
    assert public_address.base_url(Settings(public_base_url=url)) is None


def test_a_real_address_is_used_without_its_trailing_slash():
    settings = Settings(public_base_url=" https://giamsat.ninhbinh.gov.vn/ ")
    assert public_address.problem(settings) is None
    assert public_address.absolute(settings, "/t/ninh-binh/gop-y/7") == (
        "https://giamsat.ninhbinh.gov.vn/t/ninh-binh/gop-y/7"
    )


def test_from_env_reads_it():
    settings = Settings.from_env({"GIAMSAT_PUBLIC_BASE_URL": "https://giamsat.example.vn"})
    assert public_address.base_url(settings) == "https://giamsat.example.vn"
