"""Voter meetings and opinion collection, meeting attendance, respected people (issue 19)."""
