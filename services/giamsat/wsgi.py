"""WSGI entry for gunicorn (`giamsat.wsgi:app`): JSON logs, then the app."""

from __future__ import annotations

from giamsat.app import create_app
from giamsat.core.config import Settings
from giamsat.core.logging import configure_logging

_settings = Settings.from_env()
configure_logging(json=not _settings.dev)
app = create_app(settings=_settings)
