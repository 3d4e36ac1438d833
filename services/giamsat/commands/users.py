"""`giamsat users …`."""
from __future__ import annotations

import click


@click.group(help="Users of a tenant.")
def users() -> None:
    pass
