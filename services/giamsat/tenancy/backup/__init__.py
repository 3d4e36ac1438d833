"""Per-tenant backup and restore: one self-contained, versioned, checksummed archive."""
