"""The pagination metadata TenantBlueprint builds as a plain dict is flask-smorest's own."""

from __future__ import annotations

import json

from flask_smorest.pagination import PaginationMixin

from giamsat.http.api import TenantBlueprint


def test_the_metadata_is_flask_smorests_key_for_key_in_order():
    for item_count in (0, 1, 19, 20, 21, 59, 10_000):
        for page_size in (1, 20, 50):
            for page in (1, 2, 3, 500, 10_001):
                ours = TenantBlueprint._make_pagination_metadata(page, page_size, item_count)
                theirs = PaginationMixin._make_pagination_metadata(page, page_size, item_count)
                assert json.dumps(ours) == json.dumps(theirs), (page, page_size, item_count)
