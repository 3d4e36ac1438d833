"""Residential areas by API: scope, roles, validation, ETags, audit, nothing half-written."""

from __future__ import annotations

import pytest

from tests.plugins.api import field_errors, ids

NEW_AREA = {"name": "Thôn Đông", "kind": "thôn"}


def _etag(caller, area_id) -> str:
    response = caller.get(f"residential-areas/{area_id}")
    assert response.status_code == 200
    return response.headers["ETag"]


# --- reading ----------------------------------------------------------------------------------


def test_list_is_scoped_and_filtered_by_commune(world, as_user):
    a = world.alpha
    assert ids(as_user("alpha", "x-staff").get("residential-areas")) == [a.area_x]
    admin = as_user("alpha", "admin")
    assert sorted(ids(admin.get("residential-areas"))) == sorted([a.area_x, a.area_y])
    assert ids(admin.get("residential-areas", query_string={"commune_id": a.commune_y})) == [
        a.area_y
    ]


def test_filtering_by_a_hidden_commune_is_404(world, as_user):
    response = as_user("alpha", "x-admin").get(
        "residential-areas", query_string={"commune_id": world.alpha.commune_y}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("target", ["area_y", "commune_x", "missing"])
def test_reading_an_area_outside_scope_or_not_an_area_is_404(world, as_user, target):
    area_id = 987654 if target == "missing" else getattr(world.alpha, target)
    assert as_user("alpha", "x-admin").get(f"residential-areas/{area_id}").status_code == 404


# --- creating ---------------------------------------------------------------------------------


def test_commune_admin_creates_an_area(world, as_user, unit_count, audit_count):
    caller = as_user("alpha", "x-admin")
    response = caller.post(
        "residential-areas",
        json={"commune_id": world.alpha.commune_x, **NEW_AREA, "valid_from": "2026-01-01"},
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["commune_id"] == world.alpha.commune_x
    assert (body["name"], body["kind"], body["valid_from"]) == ("Thôn Đông", "thôn", "2026-01-01")
    assert response.headers["ETag"]
    assert response.headers["Location"].endswith(f"/api/v1/t/alpha/residential-areas/{body['id']}")
    assert caller.get(response.headers["Location"].split("/alpha/", 1)[1]).status_code == 200

    assert unit_count(name="Thôn Đông", parent_id=world.alpha.commune_x) == 1
    assert (
        audit_count(
            "alpha",
            object_type="unit",
            action="create",
            object_id=str(body["id"]),
            actor_label="alpha-x-admin",
        )
        == 1
    )


def test_tenant_admin_creates_in_any_commune(world, as_user):
    response = as_user("alpha", "admin").post(
        "residential-areas", json={"commune_id": world.alpha.commune_y, **NEW_AREA}
    )
    assert response.status_code == 201


def test_creating_in_a_sibling_commune_is_404_and_writes_nothing(
    world, as_user, unit_count, audit_count
):
    response = as_user("alpha", "x-admin").post(
        "residential-areas", json={"commune_id": world.alpha.commune_y, **NEW_AREA}
    )
    assert response.status_code == 404
    assert unit_count(name="Thôn Đông") == 0
    assert audit_count("alpha", object_type="unit") == 0


@pytest.mark.parametrize("who", ["x-staff", "x-reader"])
def test_staff_and_readonly_cannot_create_in_their_own_commune(
    world, as_user, unit_count, audit_count, who
):
    response = as_user("alpha", who).post(
        "residential-areas", json={"commune_id": world.alpha.commune_x, **NEW_AREA}
    )
    assert response.status_code == 403
    assert response.get_json()["code"] == 403
    assert unit_count(name="Thôn Đông") == 0
    assert audit_count("alpha", object_type="unit") == 0


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"commune_id", "name", "kind"}),
        ({"name": "Thôn Đông", "kind": "thôn", "commune_id": "x"}, {"commune_id"}),
        ({"name": "Thôn Đông", "kind": "thôn", "valid_from": "31/12/2025"}, {"valid_from"}),
        ({"name": "Thôn Đông", "kind": "thôn", "colour": "đỏ"}, {"colour"}),
        ({"name": "   ", "kind": "thôn"}, {"name"}),
        ({"name": "Thôn Đông", "kind": "nhà"}, {"kind"}),
        ({"name": "T" * 201, "kind": "thôn"}, {"name"}),
    ],
)
def test_bad_input_is_422_with_field_errors_and_writes_nothing(
    world, as_user, unit_count, audit_count, payload, fields
):
    payload = {"commune_id": world.alpha.commune_x} | payload if payload else payload
    response = as_user("alpha", "x-admin").post("residential-areas", json=payload)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422 and body["message"]
    assert set(field_errors(response)) == fields
    assert unit_count(level_code="residential_area") == 2
    assert audit_count("alpha", object_type="unit") == 0


def test_creating_under_something_other_than_a_commune_is_422(world, as_user):
    response = as_user("alpha", "x-admin").post(
        "residential-areas", json={"commune_id": world.alpha.area_x, **NEW_AREA}
    )
    assert response.status_code == 422
    assert set(field_errors(response)) == {"commune_id"}


def test_duplicate_name_is_409(world, as_user, unit_count):
    response = as_user("alpha", "x-admin").post(
        "residential-areas",
        json={"commune_id": world.alpha.commune_x, "name": "thôn một", "kind": "thôn"},
    )
    assert response.status_code == 409
    body = response.get_json()
    assert body["status"] == "Conflict" and "name" in body["errors"]["json"]
    assert unit_count(parent_id=world.alpha.commune_x) == 1


# --- updating with ETags ----------------------------------------------------------------------


def test_rename_needs_a_current_etag(world, as_user, read_unit, audit_count):
    caller, area = as_user("alpha", "x-admin"), world.alpha.area_x
    etag = _etag(caller, area)

    missing = caller.patch(f"residential-areas/{area}", json={"name": "Thôn Mới"})
    assert missing.status_code == 428 and missing.get_json()["code"] == 428
    stale = caller.patch(
        f"residential-areas/{area}", json={"name": "Thôn Mới"}, headers={"If-Match": '"0000"'}
    )
    assert stale.status_code == 412 and stale.get_json()["code"] == 412
    assert read_unit(area).name == "Thôn Một"

    done = caller.patch(
        f"residential-areas/{area}", json={"name": "Thôn Mới"}, headers={"If-Match": etag}
    )
    assert done.status_code == 200
    assert done.get_json()["name"] == "Thôn Mới"
    assert done.headers["ETag"] not in ("", etag)
    assert read_unit(area).name == "Thôn Mới"
    assert audit_count("alpha", object_type="unit", action="update", object_id=str(area)) == 1

    # The ETag read before the rename is stale now.
    again = caller.patch(
        f"residential-areas/{area}", json={"kind": "xóm"}, headers={"If-Match": etag}
    )
    assert again.status_code == 412
    assert (
        caller.patch(
            f"residential-areas/{area}",
            json={"kind": "xóm"},
            headers={"If-Match": done.headers["ETag"]},
        ).status_code
        == 200
    )


@pytest.mark.parametrize("if_match", ['"0000"', "*"])
def test_renaming_a_sibling_communes_area_is_404(world, as_user, read_unit, if_match):
    response = as_user("alpha", "x-admin").patch(
        f"residential-areas/{world.alpha.area_y}",
        json={"name": "Bị đổi"},
        headers={"If-Match": if_match},
    )
    assert response.status_code == 404
    assert read_unit(world.alpha.area_y).name == "Tổ dân phố Hai"


@pytest.mark.parametrize("who", ["x-staff", "x-reader"])
def test_staff_and_readonly_cannot_rename(world, as_user, read_unit, audit_count, who):
    caller = as_user("alpha", who)
    response = caller.patch(
        f"residential-areas/{world.alpha.area_x}",
        json={"name": "Bị đổi"},
        headers={"If-Match": _etag(caller, world.alpha.area_x)},
    )
    assert response.status_code == 403
    assert read_unit(world.alpha.area_x).name == "Thôn Một"
    assert audit_count("alpha", object_type="unit") == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "nhà"}, "kind"),
        ({"name": 5}, "name"),
        ({"commune_id": 3}, "commune_id"),
    ],
)
def test_bad_rename_is_422_and_changes_nothing(
    world, as_user, read_unit, audit_count, payload, field
):
    caller = as_user("alpha", "x-admin")
    response = caller.patch(
        f"residential-areas/{world.alpha.area_x}",
        json=payload,
        headers={"If-Match": _etag(caller, world.alpha.area_x)},
    )
    assert response.status_code == 422
    assert field in field_errors(response)
    assert read_unit(world.alpha.area_x).name == "Thôn Một"
    assert audit_count("alpha", object_type="unit") == 0


# --- retiring ---------------------------------------------------------------------------------


def test_retire_into_a_successor(world, as_user, audit_count):
    caller = as_user("alpha", "x-admin")
    successor = caller.post(
        "residential-areas", json={"commune_id": world.alpha.commune_x, **NEW_AREA}
    ).get_json()
    response = caller.post(
        f"residential-areas/{world.alpha.area_x}/retire",
        json={
            "reason": "Sáp nhập vào Thôn Đông",
            "valid_to": "2026-01-01",
            "successor_id": successor["id"],
        },
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["valid_to"] == "2026-01-01" and body["successor_id"] == successor["id"]
    assert body["retired_reason"] == "Sáp nhập vào Thôn Đông"
    assert (
        audit_count("alpha", object_type="unit", action="retire", object_id=str(world.alpha.area_x))
        == 1
    )
    # Gone from the default list, still readable with its history.
    assert ids(caller.get("residential-areas")) == [successor["id"]]
    assert caller.get(f"residential-areas/{world.alpha.area_x}").status_code == 200

    twice = caller.post(
        f"residential-areas/{world.alpha.area_x}/retire", json={"reason": "Lần nữa"}
    )
    assert twice.status_code == 409


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "reason"),
        ({"reason": "  "}, "reason"),
        ({"reason": "Giải thể", "valid_to": "2020-01-01"}, "valid_to"),
        ({"reason": "Giải thể", "successor_id": "area_x"}, "successor_id"),
    ],
)
def test_bad_retirement_is_422_and_changes_nothing(
    world, as_user, read_unit, audit_count, payload, field
):
    if payload.get("successor_id") == "area_x":
        payload = payload | {"successor_id": world.alpha.area_x}  # itself
    response = as_user("alpha", "x-admin").post(
        f"residential-areas/{world.alpha.area_x}/retire", json=payload
    )
    assert response.status_code == 422
    assert field in field_errors(response)
    assert read_unit(world.alpha.area_x).valid_to is None
    assert audit_count("alpha", object_type="unit") == 0


@pytest.mark.parametrize(
    ("who", "area", "successor", "status"),
    [
        ("x-admin", "area_y", None, 404),  # a sibling commune's area
        ("x-admin", "area_x", "area_y", 404),  # a successor the caller cannot see
        ("x-staff", "area_x", None, 403),
        ("x-reader", "area_x", None, 403),
    ],
)
def test_retirement_refused(world, as_user, read_unit, audit_count, who, area, successor, status):
    area_id = getattr(world.alpha, area)
    payload = {"reason": "Giải thể"}
    if successor:
        payload["successor_id"] = getattr(world.alpha, successor)
    response = as_user("alpha", who).post(f"residential-areas/{area_id}/retire", json=payload)
    assert response.status_code == status
    assert read_unit(area_id).valid_to is None
    assert audit_count("alpha", object_type="unit") == 0
