"""Infrastructure that knows nothing of tenants or domains: config, database, security, audit."""
