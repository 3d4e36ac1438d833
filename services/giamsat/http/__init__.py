"""What every domain's pages and API resources share, knowing no domain: page sessions and
`login_required`, the tenant API blueprint, page forms, the page handler helper."""
