"""The completeness dashboard: per period, the reports expected from the units below, and how
many came on time, late or not at all — as a chart and a table; each period opens its list of
units (`views.province`)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template

from giamsat.http.pages import tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.reports import queries
from giamsat.reports.views import bp
from giamsat.reports.views.common import chosen_unit, reporting_units, year_arg

#: Bar segments of the chart, in drawing order: (attribute of Completeness, css class).
CHART_SEGMENTS = (
    ("on_time", "seg-on-time"),
    ("late", "seg-late"),
    ("pending", "seg-pending"),
    ("missing", "seg-missing"),
)
CHART_LABEL_WIDTH, CHART_BAR_WIDTH, CHART_ROW = 190, 420, 34


@dataclass
class ChartBar:
    label: str
    y: int
    expected: int
    segments: list  # (css class, x, width, count)


def chart_bars(rows, titles: dict) -> list[ChartBar]:
    """Stacked bars, one per period: reports on time, late, not due yet and missing, each as
    wide as its share of the reports expected. Drawn as inline SVG by the template."""
    bars = []
    for index, row in enumerate(rows):
        x, segments = CHART_LABEL_WIDTH, []
        for attr, css in CHART_SEGMENTS:
            count = getattr(row, attr)
            width = round(CHART_BAR_WIDTH * count / row.expected) if row.expected else 0
            if count:
                segments.append((css, x, width, count))
            x += width
        bars.append(ChartBar(titles[row.period.id], 10 + index * CHART_ROW, row.expected, segments))
    return bars


@bp.get("/dashboard")
@login_required
def dashboard():
    """Per period: reports expected from the units below, submitted, on time, late, missing."""
    session, principal = tenant_session(), current_principal()
    units = reporting_units()
    unit, year = chosen_unit(units), year_arg()
    periods = queries.list_periods(session, year=year, principal=principal)
    rows = queries.completeness(
        session, principal, unit_id=unit.id, period_ids=[p.id for p in periods]
    )
    bars = chart_bars(rows, {p.id: p.title for p in periods})
    return render_template(
        "reports/dashboard.html",
        unit=unit,
        units=units,
        year=year,
        rows=rows,
        bars=bars,
        chart=dict(
            label=CHART_LABEL_WIDTH,
            bar=CHART_BAR_WIDTH,
            row=CHART_ROW,
            height=20 + CHART_ROW * len(bars),
            width=CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 60,
        ),
        segments=CHART_SEGMENTS,
    )
