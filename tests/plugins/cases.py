"""Cases test helpers: the seeded catalogue and reporter master keys (the cases and notification
tests use them), the public visitor's browser, and the staff pages' protected reporter."""

from __future__ import annotations

import base64
import re

import pytest

from giamsat.cases.catalogue import provision_tenant
from tests.plugins.pages import CSRF_INPUT

#: Master key of the cases tests (32 bytes, base64) unless a test folder configures its own.
TEST_MASTER_KEYS = "test:" + base64.b64encode(bytes(range(32))).decode()
#: The protected reporter of the staff page tests: no page, export or log may show these.
IDENTITY = {
    "name": "Lê Thị Kín Đáo",
    "contact": "0987 654 321",
    "address": "Số 9 hẻm Bí Mật, thôn Một",
}
RECEIPT = re.compile(r'id="receipt-code">([\d ]+)<')


@pytest.fixture()
def catalogue(tenant_session, world):
    """Seeds the classification catalogue into both world tenants (rolled back after the test)."""
    for slug in ("alpha", "beta"):
        with tenant_session(slug) as session:
            provision_tenant(session)
            session.commit()
    return world


@pytest.fixture()
def reporter_keys():
    """Master keys for reporter identities; keeps keys a nearer fixture already set."""
    from giamsat.cases import protection

    if protection._override.get() is not None:
        yield protection._override.get()
        return
    with protection.using_master_keys(TEST_MASTER_KEYS) as keyring:
        yield keyring


class Browser:
    """Someone with a browser and no account: reads pages, posts their forms with the token."""

    def __init__(self, client, address: str = "198.51.100.7"):
        self.client = client
        self.address = address

    def get(self, url, **kwargs):
        return self.client.get(url, environ_base={"REMOTE_ADDR": self.address}, **kwargs)

    def token(self, url: str) -> str:
        match = CSRF_INPUT.search(self.get(url).get_data(as_text=True))
        assert match, f"{url} hands out no CSRF token"
        return match.group(1)

    def post(self, url, data, *, token_from: str | None = None, csrf: bool = True):
        data = dict(data)
        if csrf:
            data.setdefault("csrf_token", self.token(token_from or url))
        return self.client.post(url, data=data, environ_base={"REMOTE_ADDR": self.address})

    def submit(self, slug: str, unit_id: int, **fields):
        data = {
            "kind": "petition",
            "title": "Đường thôn bị hỏng",
            "content": "Đường liên thôn hỏng nặng từ tháng trước, chưa ai sửa.",
            "concerned": "",
            "reporter_mode": "anonymous",
            "consent": "y",
        }
        data.update(fields)
        return self.post(f"/t/{slug}/gop-y/{unit_id}", data)

    def lookup(self, slug: str, code: str):
        return self.post(f"/t/{slug}/tra-cuu", {"code": code})


def receipt_code(response) -> str:
    match = RECEIPT.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return match.group(1).strip()
