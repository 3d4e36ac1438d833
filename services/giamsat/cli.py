"""The `giamsat` command: one group per concern, registered from an explicit list."""

from __future__ import annotations

import importlib
import sys

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
    ("giamsat.commands.reports", "reports"),
)


#: Commands that need no database of ours: `dev` starts its own, the others touch none.
NO_DATABASE = ({"dev"}, {"keys", "new-master-key"})


class Giamsat(click.Group):
    """Points the commands at a database first (`commands.locate`), and turns "the database is
    not there" into one sentence instead of a traceback, whichever command hit it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["giamsat.words"] = set(args)  # the whole command line, before click splits it
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        from sqlalchemy.exc import OperationalError

        from giamsat.commands.locate import NoDatabase, locate_database

        words = ctx.meta.get("giamsat.words", set())
        if not {"--help", "-h"} & words and not any(need <= words for need in NO_DATABASE):
            try:
                found = locate_database()
            except NoDatabase as error:
                click.echo(f"giamsat: {error}", err=True)
                sys.exit(1)
            if found is not None:
                click.echo(f"giamsat: dùng `giamsat dev` đang chạy ({found}).", err=True)
        try:
            return super().invoke(ctx)
        except OperationalError as error:
            reason = str(error.orig or error).strip().splitlines()[0]
            click.echo(
                f"giamsat: không dùng được cơ sở dữ liệu ({reason}); kiểm tra "
                "GIAMSAT_DATABASE_URL.",
                err=True,
            )
            sys.exit(1)


@click.group(cls=Giamsat, help="giamsat — giám sát theo Quy định 124-QĐ/TW.")
def main() -> None:
    pass


for module_name, attr in COMMANDS:
    main.add_command(getattr(importlib.import_module(module_name), attr))
