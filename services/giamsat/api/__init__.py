"""The REST API shell: flask-smorest at /api/v1, one error shape, token auth, pagination."""
