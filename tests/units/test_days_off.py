"""The province's own days off (`[rules] days_off`) count in every working-day calculation."""

from __future__ import annotations

import datetime as dt

from giamsat.units.models import TenantRule
from giamsat.units.queries import work_calendar


def test_the_tenant_calendar_counts_its_days_off_and_only_its_own(tenant_session, world):
    with tenant_session("alpha") as alpha, tenant_session("beta") as beta:
        alpha.add(TenantRule(key="days_off", value=["2026-12-01"], source="test"))
        alpha.flush()
        # Monday 30/11/2026 + 1 working day: Tuesday, unless it is the province's day off.
        assert work_calendar(alpha).add_working_days(dt.date(2026, 11, 30), 1) == dt.date(
            2026, 12, 2
        )
        assert work_calendar(beta).add_working_days(dt.date(2026, 11, 30), 1) == dt.date(
            2026, 12, 1
        )
