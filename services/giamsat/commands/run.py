"""`giamsat run`: the development web server."""

from __future__ import annotations

import click


@click.command(help="Run the web server (development; use gunicorn in production).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def run(host: str, port: int) -> None:
    from giamsat.app import create_app
    from giamsat.core.config import Settings
    from giamsat.core.logging import configure_logging

    settings = Settings.from_env()
    configure_logging(json=not settings.dev)
    create_app(settings=settings).run(host=host, port=port)
