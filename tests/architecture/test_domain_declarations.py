"""Domains plug in through declarations: a misspelt field fails at once, and every declared
listener, hook and rule reaches the process — the same for the app, the worker and a script."""

from __future__ import annotations

import pytest

from giamsat import domains
from giamsat.core import domain as hooks
from giamsat.core import events
from giamsat.core.domain import Domain


def test_a_misspelt_declaration_is_a_type_error_not_a_silent_skip():
    with pytest.raises(TypeError, match="listner"):
        Domain(name="x", listner=())  # type: ignore[call-arg]


def test_install_connects_every_declared_listener_and_hook_without_an_app():
    domains.install()  # what app, worker, scheduler and commands call; idempotent
    for domain in domains.DOMAINS:
        for event_type, listener in domain.listeners:
            assert listener in events._listeners[event_type], (domain.name, listener)
        for hook, implementation in domain.hooks:
            assert implementation in hooks.implementations(hook), (domain.name, hook.name)


def test_every_tenant_rule_has_one_owner():
    keys = [spec.key for spec in domains.rule_specs()]
    assert len(keys) == len(set(keys)) and "response_days" in keys and "days_off" in keys
