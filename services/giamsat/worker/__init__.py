"""Shell: the worker and scheduler processes."""
