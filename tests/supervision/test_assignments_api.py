"""Assignments (phân công giám sát): history kept by closing and opening rows, never updating."""

from __future__ import annotations

from tests.plugins.api import ids


def test_assign_change_and_end_keep_the_history(world, as_user, make_person, audit_count):
    a = world.alpha
    person = make_person()
    staff = as_user("alpha", "x-staff")
    first = staff.post(
        "supervision/assignments",
        json={
            "person_id": person["id"],
            "organization_id": a.org_mttq,
            "place": "workplace",
            "valid_from": "2026-01-05",
            "note": "Theo phụ lục danh sách",
        },
    )
    assert first.status_code == 201, first.get_json()
    first = first.get_json()
    assert (first["is_current"], first["valid_to"], first["unit_id"]) == (True, None, a.commune_x)

    twice = staff.post(
        "supervision/assignments",
        json={"person_id": person["id"], "organization_id": a.org_mttq, "place": "workplace"},
    )
    assert twice.status_code == 409

    changed = staff.post(
        f"supervision/assignments/{first['id']}/change",
        json={"place": "residence", "on": "2026-06-01"},
    )
    assert changed.status_code == 201, changed.get_json()
    second = changed.get_json()
    assert (second["place"], second["valid_from"], second["replaces_id"]) == (
        "residence",
        "2026-06-01",
        first["id"],
    )
    old = staff.get(f"supervision/assignments/{first['id']}").get_json()
    assert (old["valid_to"], old["place"], old["is_current"]) == ("2026-05-31", "workplace", False)

    # An ended row cannot be changed or ended again.
    assert (
        staff.post(
            f"supervision/assignments/{first['id']}/change", json={"place": "workplace"}
        ).status_code
        == 409
    )
    ended = staff.post(
        f"supervision/assignments/{second['id']}/end", json={"valid_to": "2026-10-31"}
    )
    assert ended.status_code == 200 and ended.get_json()["valid_to"] == "2026-10-31"
    assert staff.post(f"supervision/assignments/{second['id']}/end", json={}).status_code == 409

    history = staff.get("supervision/assignments", query_string={"person_id": person["id"]})
    assert ids(history) == [second["id"], first["id"]]
    assert (
        ids(
            staff.get(
                "supervision/assignments",
                query_string={"person_id": person["id"], "current_only": "true"},
            )
        )
        == []
    )
    assert audit_count("alpha", object_type="supervision_assignments", action="create") == 2
    assert audit_count("alpha", object_type="supervision_assignments", action="end") == 2


def test_bad_changes_are_refused(world, as_user, make_person):
    a = world.alpha
    person = make_person()
    staff = as_user("alpha", "x-staff")
    row = staff.post(
        "supervision/assignments",
        json={
            "person_id": person["id"],
            "organization_id": a.org_mttq,
            "place": "workplace",
            "valid_from": "2026-03-01",
        },
    ).get_json()
    url = f"supervision/assignments/{row['id']}"
    assert (
        staff.post(url + "/change", json={"place": "workplace", "on": "2026-04-01"}).status_code
        == 422
    )  # nothing changes
    assert (
        staff.post(url + "/change", json={"place": "residence", "on": "2026-02-01"}).status_code
        == 422
    )  # before the old start
    assert staff.post(url + "/end", json={"valid_to": "2026-02-01"}).status_code == 422
    assert (
        staff.post(
            "supervision/assignments",
            json={"person_id": person["id"], "organization_id": 9999, "place": "residence"},
        ).status_code
        == 422
    )
    assert staff.get(url).get_json()["valid_to"] is None


def test_assignments_are_scoped_and_readonly_cannot_write(world, as_user, make_person):
    a = world.alpha
    person = make_person()
    staff = as_user("alpha", "x-staff")
    row = staff.post(
        "supervision/assignments",
        json={"person_id": person["id"], "organization_id": a.org_mttq, "place": "workplace"},
    ).get_json()
    reader = as_user("alpha", "x-reader")
    assert reader.get(f"supervision/assignments/{row['id']}").status_code == 200
    assert reader.post(f"supervision/assignments/{row['id']}/end", json={}).status_code == 403
    assert (
        reader.post(
            "supervision/assignments",
            json={"person_id": person["id"], "organization_id": a.org_mttq, "place": "residence"},
        ).status_code
        == 403
    )
    y_admin = as_user("alpha", "y-admin")
    assert y_admin.get(f"supervision/assignments/{row['id']}").status_code == 404
    assert y_admin.post(f"supervision/assignments/{row['id']}/end", json={}).status_code == 404
    assert (
        y_admin.get("supervision/assignments", query_string={"person_id": person["id"]}).status_code
        == 404
    )
    assert (
        y_admin.post(
            "supervision/assignments",
            json={"person_id": person["id"], "organization_id": a.org_mttq, "place": "residence"},
        ).status_code
        == 404
    )
    assert ids(as_user("beta", "admin").get("supervision/assignments")) == []
