"""`/api/v1/t/<t>/users`: the tenant admin manages the province, a unit admin their subtree;
everyone else's account is a 404, a grant above the admin's unit a 422."""

from __future__ import annotations

from tests.plugins.api import field_errors, ids, pagination


def test_tenant_admin_lists_the_province_and_never_another_tenant(world, as_user):
    response = as_user("alpha", "admin").get("users")
    assert response.status_code == 200
    assert sorted(ids(response)) == sorted(world.alpha.users.values())
    assert pagination(response)["total"] == len(world.alpha.users)
    beta = as_user("beta", "admin").get("users")
    assert sorted(item["username"] for item in beta.get_json()) == sorted(
        f"beta-{who}" for who in world.beta.users
    )


def test_unit_admin_lists_only_their_subtree(world, as_user):
    users = world.alpha.users
    listed = ids(as_user("alpha", "x-admin").get("users"))
    assert sorted(listed) == sorted([users["x-admin"], users["x-staff"], users["x-reader"]])


def test_search_matches_name_login_and_phone(world, as_user):
    caller = as_user("alpha", "admin")
    assert ids(caller.get("users", query_string={"q": "x-staff"})) == [world.alpha.users["x-staff"]]
    assert ids(caller.get("users", query_string={"q": "y ADMIN"})) == [world.alpha.users["y-admin"]]
    assert ids(caller.get("users", query_string={"q": "nobody%"})) == []


def test_a_user_outside_the_subtree_is_404_for_every_verb(world, as_user, stored_user):
    caller = as_user("alpha", "x-admin")
    for target in (world.alpha.users["y-admin"], world.alpha.users["admin"], 999_999):
        assert caller.get(f"users/{target}").status_code == 404
        assert caller.patch(f"users/{target}", json={"full_name": "Đổi"}).status_code == 404
        assert caller.post(f"users/{target}/disable").status_code == 404
        grant = {"role": "staff", "unit_id": world.alpha.commune_x}
        assert caller.post(f"users/{target}/roles", json=grant).status_code == 404
    assert stored_user("alpha", username="alpha-y-admin").is_active
    # The same number in another tenant is that tenant's own user, never alpha's.
    other = as_user("beta", "admin").get(f"users/{world.alpha.users['x-staff']}").get_json()
    assert other["username"].startswith("beta-")


def test_unit_admin_creates_a_person_with_a_temporary_password_once(
    world, as_user, stored_user, audit_of
):
    response = as_user("alpha", "x-admin").post(
        "users",
        json={
            "full_name": "Nguyễn Thị Hoa",
            "email": "Hoa@XaDong.vn",
            "phone": "0912 345 678",
            "role": "staff",
            "unit_id": world.alpha.commune_x,
            "organization_id": world.alpha.org_mttq,
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["username"] == "hoa@xadong.vn"
    assert body["delivery"] == "sheet" and len(body["temporary_password"]) == 19
    assert body["must_change_password"] is True and body["last_login_at"] is None
    assert body["roles"][0]["organization_id"] == world.alpha.org_mttq
    stored = stored_user("alpha", username="hoa@xadong.vn")
    assert stored.must_change_password and body["temporary_password"] not in stored.password_hash
    assert ("create", str(stored.id)) in audit_of("alpha")
    # Reading the person again never shows the password.
    again = as_user("alpha", "x-admin").get(f"users/{stored.id}").get_json()
    assert "temporary_password" not in again


def test_no_grant_above_the_admins_own_unit(world, as_user, user_count):
    caller = as_user("alpha", "x-admin")
    before = user_count()
    for grant in (
        {"role": "staff", "unit_id": world.alpha.province},
        {"role": "staff", "unit_id": world.alpha.commune_y},
        {"role": "tenant_admin", "unit_id": world.alpha.commune_x},
    ):
        response = caller.post(
            "users", json={"full_name": "Lê Văn A", "phone": "0900000001"} | grant
        )
        assert response.status_code == 422, grant
        assert "unit_id" in field_errors(response)
    staff = world.alpha.users["x-staff"]
    response = caller.post(
        f"users/{staff}/roles", json={"role": "unit_admin", "unit_id": world.alpha.province}
    )
    assert response.status_code == 422
    assert user_count() == before


def test_bad_input_is_422_with_field_errors(world, as_user):
    caller = as_user("alpha", "admin")
    response = caller.post("users", json={"role": "boss", "unit_id": "x"})
    assert response.status_code == 422
    errors = field_errors(response)
    assert {"full_name", "role", "unit_id"} <= set(errors)
    response = caller.post(
        "users",
        json={
            "full_name": "B",
            "email": "not-an-address",
            "role": "staff",
            "unit_id": world.alpha.commune_x,
        },
    )
    assert response.status_code == 422
    assert "email" in field_errors(response)


def test_disable_stops_the_persons_tokens_and_enable_brings_them_back(
    world, as_user, api_token, audit_of
):
    staff_token = api_token("alpha", "x-staff")
    from tests.plugins.api import ApiCaller

    admin = as_user("alpha", "x-admin")
    staff_id = world.alpha.users["x-staff"]
    response = admin.post(f"users/{staff_id}/disable")
    assert response.status_code == 200 and response.get_json()["is_active"] is False
    staff = ApiCaller(admin.client, "alpha", staff_token)
    assert staff.get("me").status_code == 401
    assert admin.post(f"users/{staff_id}/enable").get_json()["is_active"] is True
    assert staff.get("me").status_code == 200
    actions = [a for a, obj in audit_of("alpha") if obj == str(staff_id)]
    assert actions[-2:] == ["disable", "enable"]
    # Nobody locks themselves out.
    me = world.alpha.users["x-admin"]
    assert admin.post(f"users/{me}/disable").status_code == 409


def test_grant_and_withdraw_a_role_per_organization(world, as_user, audit_of):
    admin = as_user("alpha", "x-admin")
    reader = world.alpha.users["x-reader"]
    grant = {
        "role": "staff",
        "unit_id": world.alpha.area_x,
        "organization_id": world.alpha.org_mttq,
    }
    response = admin.post(f"users/{reader}/roles", json=grant)
    assert response.status_code == 201, response.get_json()
    grant_id = response.get_json()["id"]
    assert admin.post(f"users/{reader}/roles", json=grant).status_code == 409
    roles = admin.get(f"users/{reader}").get_json()["roles"]
    assert {(r["role"], r["organization_id"]) for r in roles} == {
        ("readonly", None),
        ("staff", world.alpha.org_mttq),
    }
    assert admin.delete(f"users/{reader}/roles/{grant_id}").status_code == 204
    only = admin.get(f"users/{reader}").get_json()["roles"]
    assert len(only) == 1
    # The last role stays: an account without roles would vanish from every admin's list.
    assert admin.delete(f"users/{reader}/roles/{only[0]['id']}").status_code == 409
    actions = [a for a, obj in audit_of("alpha") if obj == str(reader)]
    assert actions == ["grant", "withdraw"]


def test_last_login_is_shown(world, as_user, pages):
    pages.login("alpha", "x-staff")
    body = as_user("alpha", "x-admin").get(f"users/{world.alpha.users['x-staff']}").get_json()
    assert body["last_login_at"] is not None
