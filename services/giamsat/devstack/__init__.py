"""Embedded servers for `giamsat dev` and for tests on machines without the real services."""
