"""The `giamsat` command: one group per concern, registered from an explicit list."""

from __future__ import annotations

import importlib

import click

#: (module, attribute) of each command or group; each module builds what it needs lazily.
COMMANDS = (
    ("giamsat.commands.db", "db"),
    ("giamsat.commands.tenants", "tenants"),
    ("giamsat.commands.users", "users"),
    ("giamsat.commands.run", "run"),
    ("giamsat.commands.worker", "worker"),
    ("giamsat.commands.scheduler", "scheduler"),
    ("giamsat.commands.jobs", "jobs"),
    ("giamsat.commands.dev", "dev"),
    ("giamsat.commands.keys", "keys"),
)


@click.group(help="giamsat — giám sát theo Quy định 124-QĐ/TW.")
def main() -> None:
    pass


for module_name, attr in COMMANDS:
    main.add_command(getattr(importlib.import_module(module_name), attr))
