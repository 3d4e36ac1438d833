"""The reports API: the workflow over HTTP with ETags, scoping and tenant isolation."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.reports.aggregation import recompute_period
from tests.plugins.api import ApiCaller, field_errors
from tests.plugins.reports import add_case, period_of

D = dt.date


@pytest.fixture()
def q1(tenant_session, world):
    """Both tenants seeded; alpha has one case in commune X's area, committed for the app."""
    from giamsat.reports.models import PeriodKind
    from giamsat.reports.provisioning import provision_tenant
    from tests.plugins.reports import TODAY

    ids = {}
    for slug in ("alpha", "beta"):
        s = tenant_session(slug)
        provision_tenant(s, today=TODAY)
        period = period_of(s, PeriodKind.quarterly, 2026, 1)
        if slug == "alpha":
            add_case(s, world.alpha.commune_x, D(2026, 1, 5), area_id=world.alpha.area_x)
            recompute_period(s, period)
        ids[slug] = period.id
        s.commit()
        s.close()
    return ids


def _action(caller, report, name, json=None):
    return caller.post(f"reports/{report['id']}/{name}", json=json or {})


def test_report_workflow_over_the_api(as_user, world, q1, tenant_session):
    x_admin = as_user("alpha", "x-admin")
    created = x_admin.post(
        "reports", json={"period_id": q1["alpha"], "unit_id": world.alpha.commune_x}
    )
    assert created.status_code == 201, created.get_json()
    report = created.get_json()
    values = {e["indicator_code"]: e["value"] for e in report["entries"]}
    assert values["intake.received"] == 1
    again = x_admin.post(
        "reports", json={"period_id": q1["alpha"], "unit_id": world.alpha.commune_x}
    )
    assert again.status_code == 409

    # PATCH needs the ETag; bad figures are 422 with the field named.
    assert x_admin.patch(f"reports/{report['id']}", json={}).status_code == 428
    etag = x_admin.get(f"reports/{report['id']}").headers["ETag"]
    bad = x_admin.patch(
        f"reports/{report['id']}",
        headers={"If-Match": etag},
        json={"figures": {"intake.received": "nhiều"}},
    )
    assert bad.status_code == 422 and "figures.intake.received" in field_errors(bad)
    ok = x_admin.patch(
        f"reports/{report['id']}",
        headers={"If-Match": etag},
        json={
            "narrative": {"results": "Kết quả tốt."},
            "figures": {"outcomes.violations_confirmed": 2},
        },
    )
    assert ok.status_code == 200, ok.get_json()
    stale = _action(x_admin, report, "submit", json={"version": report["version"]})
    assert stale.status_code == 409 and "version" in stale.get_json()["errors"]["json"]
    submitted = _action(x_admin, report, "submit")
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    assert _action(x_admin, report, "accept").status_code == 403

    admin = as_user("alpha", "admin")
    returned = _action(admin, report, "return", json={"reason": ""})
    assert returned.status_code == 422 and "reason" in field_errors(returned)
    accepted = _action(admin, report, "accept")
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    frozen = x_admin.patch(
        f"reports/{report['id']}",
        headers={"If-Match": x_admin.get(f"reports/{report['id']}").headers["ETag"]},
        json={"narrative": {"results": "Sửa"}},
    )
    assert frozen.status_code == 409

    consolidation = admin.get(
        f"report-periods/{q1['alpha']}/units/{world.alpha.province}/consolidation"
    ).get_json()
    lines = {c["unit_id"]: c for c in consolidation["children"]}
    assert lines[world.alpha.commune_x]["source"] == "report"
    assert lines[world.alpha.commune_y]["source"] == "live"
    assert consolidation["totals"]["outcomes.violations_confirmed"] == 2
    completeness = admin.get(
        f"report-periods/{q1['alpha']}/completeness", query_string={"unit_id": world.alpha.province}
    ).get_json()
    assert completeness["summary"]["expected"] == 2
    assert completeness["summary"]["submitted"] == 1
    figures = admin.get(f"report-periods/{q1['alpha']}/units/{world.alpha.province}/figures")
    assert figures.get_json()["consolidated"]["intake.received"] == 1
    assert len(admin.get("report-indicators", query_string={"page_size": 100}).get_json()) > 40


def test_scoping_and_tenant_isolation(as_user, world, q1):
    x_admin = as_user("alpha", "x-admin")
    report = x_admin.post(
        "reports", json={"period_id": q1["alpha"], "unit_id": world.alpha.commune_x}
    ).get_json()
    # A sibling commune: 404, and the list is empty.
    y_admin = as_user("alpha", "y-admin")
    assert y_admin.get(f"reports/{report['id']}").status_code == 404
    assert y_admin.get("reports").get_json() == []
    assert (
        x_admin.get(
            f"report-periods/{q1['alpha']}/units/{world.alpha.province}/figures"
        ).status_code
        == 404
    )
    # Another tenant: the same ids mean nothing there; alpha's token is refused in beta.
    beta_admin = as_user("beta", "admin")
    assert beta_admin.get(f"reports/{report['id']}").status_code == 404
    # Beta's own Q1 knows nothing of alpha's case.
    assert (
        beta_admin.get(
            f"report-periods/{q1['beta']}/units/{world.beta.province}/figures"
        ).get_json()["consolidated"]
        == {}
    )
    assert beta_admin.get("reports", query_string={"period_id": q1["alpha"]}).get_json() == []
    alpha_token_in_beta = ApiCaller(x_admin.client, "beta", x_admin.token)
    assert alpha_token_in_beta.get("reports").status_code in (401, 404)


def test_the_current_tree_view_over_the_api(as_user, world, q1):
    """A period's figures along today's tree: scoped like the figures, per tenant."""
    admin = as_user("alpha", "admin")
    url = f"report-periods/{q1['alpha']}/units/{world.alpha.province}/current-tree"
    view = admin.get(url)
    assert view.status_code == 200
    body = view.get_json()
    assert (body["period_id"], body["unit_id"], body["organization_id"]) == (
        q1["alpha"],
        world.alpha.province,
        None,
    )
    assert body["totals"]["intake.received"] == 1
    lines = {line["unit_id"]: line["figures"] for line in body["children"]}
    assert lines[world.alpha.commune_x]["intake.received"] == 1
    assert lines[world.alpha.commune_y] == {}
    # Commune X's admin: not the province's view, but its own.
    x_admin = as_user("alpha", "x-admin")
    assert x_admin.get(url).status_code == 404
    own = x_admin.get(f"report-periods/{q1['alpha']}/units/{world.alpha.commune_x}/current-tree")
    assert own.get_json()["totals"]["intake.received"] == 1
    # Another tenant (ids may coincide: schemas are separate): beta counts none of alpha's.
    beta_admin = as_user("beta", "admin")
    beta = beta_admin.get(
        f"report-periods/{q1['beta']}/units/{world.beta.province}/current-tree"
    ).get_json()
    assert beta["totals"] == {} and all(line["figures"] == {} for line in beta["children"])
    bad = admin.get(url, query_string={"organization_id": "x"})
    assert bad.status_code == 422
