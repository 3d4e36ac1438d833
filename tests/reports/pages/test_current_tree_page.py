"""The page of a period before the reform under today's units, linked from its consolidation."""

from __future__ import annotations

import datetime as dt
import re

from giamsat.reports.aggregation import recompute_period
from giamsat.reports.models import PeriodKind
from giamsat.reports.operations import generate_past_periods
from tests.plugins.reports import add_case, period_of

RECEIVED = "intake.received"
#: What pages must never load: anything from another host.
EXTERNAL = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""", re.I
)


def _switch(pages, who: str, slug: str = "alpha") -> None:
    pages.post(f"/t/{slug}/logout")
    pages.login(slug, who)


def _row(html: str, name: str) -> list[str]:
    row = re.search(rf"<td data-label=\"Đơn vị\">{re.escape(name)}</td>(.*?)</tr>", html, re.S)
    assert row, name
    return re.findall(r'class="num">(\d+)', row.group(1))


def test_a_2024_period_reads_under_todays_units(pages, world, seeded, tenant_session):
    a = world.alpha
    with tenant_session("alpha") as s:
        generate_past_periods(s, [2024], recompute=False)
        # Alpha's communes exist since 1/7/2025: in 2024 the record counts at the province.
        add_case(s, a.commune_x, dt.date(2024, 5, 10), area_id=a.area_x)
        q2 = period_of(s, PeriodKind.quarterly, 2024, 2)
        recompute_period(s, q2)
        period_id = q2.id
        s.commit()
    pages.login("alpha", "admin")
    url = f"/t/alpha/reports/periods/{period_id}/units/{a.province}/current-tree"
    consolidation = pages.get(f"/t/alpha/reports/periods/{period_id}/units/{a.province}")
    assert f'href="{url}"' in consolidation.get_data(as_text=True)
    # A period of today's tree offers no such link.
    now = pages.get(f"/t/alpha/reports/periods/{seeded.yearly}/units/{a.province}")
    assert "/current-tree" not in now.get_data(as_text=True)

    response = pages.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert not EXTERNAL.search(html) and "<script" not in html.split("<main")[1]
    assert "Quý II năm 2024 theo đơn vị hiện nay" in html
    assert _row(html, "Xã Đông Alpha") == ["1", "0"]
    assert _row(html, "Phường Tây Alpha") == ["0", "0"]
    total = re.search(rf'<tr id="t-{re.escape(RECEIVED)}">(.*?)</tr>', html, re.S).group(1)
    assert "<strong>1</strong>" in total

    # Unit scoping: commune X's staff see their own commune's view, not the province's nor Y's.
    _switch(pages, "x-staff")
    assert pages.get(url).status_code == 404
    assert (
        pages.get(url.replace(f"/units/{a.province}/", f"/units/{a.commune_y}/")).status_code == 404
    )
    mine = pages.get(url.replace(f"/units/{a.province}/", f"/units/{a.commune_x}/"))
    assert mine.status_code == 200
    # Tenant isolation: beta's admin finds nothing of alpha's record in beta.
    _switch(pages, "admin", "beta")
    beta_url = (
        f"/t/beta/reports/periods/{seeded.beta_yearly}/units/{world.beta.province}/current-tree"
    )
    beta = pages.get(beta_url).get_data(as_text=True)
    assert "<strong>1</strong>" not in beta
