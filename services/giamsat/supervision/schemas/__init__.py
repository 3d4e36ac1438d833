"""API schemas of the supervision register, one module per resource: output, create, update
and query-argument schemas kept apart (field makers in `fields`)."""
