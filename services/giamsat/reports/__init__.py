"""Periodic reports: calendar, indicators, figures rolled up the tree, submission and approval."""
