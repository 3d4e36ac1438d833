"""Background work: transactional outbox, relay to RQ, tenant-aware jobs, schedules."""
