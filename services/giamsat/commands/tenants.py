"""`giamsat tenants …`: apply province manifests."""
from __future__ import annotations

import click


@click.group(help="Province tenants.")
def tenants() -> None:
    pass
