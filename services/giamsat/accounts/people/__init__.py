"""People and roles managed by the tenant admin (whole province) and unit admins (their
subtree): lists, accounts, grants, bulk onboarding from XLSX and the one-time credentials."""
