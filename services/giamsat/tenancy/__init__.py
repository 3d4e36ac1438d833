"""Province tenants: the registry, schema names, the tenant context and its resolver."""
