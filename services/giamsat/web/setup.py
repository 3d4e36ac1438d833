"""Wires the page shell into the app (placeholder: the page-shell work fills it in)."""
from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    csrf.init_app(app)


def render_domain_error(error):
    return error.message, error.status
