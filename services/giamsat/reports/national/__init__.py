"""The central committee's national view: every province's figures, completeness and timeliness
for one regular period, read from the tenants' maintained province-level relations only."""
