"""The domains import each other only as their declarations say (`Domain.depends_on`), and
the declared graph has no cycle: anything else goes through events and hooks."""

from __future__ import annotations

import grimp

from giamsat.domains import DOMAINS

NAMES = {d.name for d in DOMAINS}


def _imported_domains() -> dict[str, set[str]]:
    graph = grimp.build_graph("giamsat")
    found: dict[str, set[str]] = {name: set() for name in NAMES}
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2 or parts[1] not in NAMES:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")[1] if imported.count(".") else ""
            if other in NAMES and other != parts[1]:
                found[parts[1]].add(other)
    return found


def test_domains_import_only_what_they_declare():
    imported = _imported_domains()
    undeclared = {d.name: sorted(imported[d.name] - set(d.depends_on)) for d in DOMAINS}
    assert {k: v for k, v in undeclared.items() if v} == {}


def test_declared_dependencies_are_used_and_point_down_the_list():
    imported = _imported_domains()
    order = [d.name for d in DOMAINS]
    for domain in DOMAINS:
        for other in domain.depends_on:
            assert other in NAMES, f"{domain.name} declares an unknown domain {other!r}"
            assert order.index(other) < order.index(domain.name), (
                f"{domain.name} depends on {other}, which comes after it in DOMAINS"
            )
            assert other in imported[domain.name], (
                f"{domain.name} declares {other} but never imports it"
            )
