"""Suggestion boxes (hòm thư góp ý) at residential areas: register, openings with minutes, and
the scanned letters found in them, each one a case."""
