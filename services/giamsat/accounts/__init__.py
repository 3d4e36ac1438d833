"""Users of a tenant, their roles scoped to a unit, web sessions and API tokens."""
