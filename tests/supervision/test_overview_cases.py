"""A person's overview lists the cases staff linked to them, without anyone's identity; a case
that only names them waits for a confirmation."""

from __future__ import annotations


def test_linked_cases_show_without_reporters(
    world, as_user, make_person, tenant_session, principal_of
):
    from giamsat.cases.operations import receive_case

    person = make_person(full_name="Nguyễn Văn Ấn")
    principal = principal_of("alpha", "x-staff")
    with tenant_session("alpha") as session:
        about = receive_case(
            session,
            principal,
            unit_id=world.alpha.commune_x,
            received_on=None,
            channel="suggestion_box",
            kind="petition",
            title="Phản ánh về tác phong",
            content="Thư trong hòm thư góp ý",
            concerned="ông Nguyen Van An, Bí thư",
        )
        receive_case(
            session,
            principal,
            unit_id=world.alpha.commune_x,
            received_on=None,
            channel="in_person",
            kind="petition",
            title="Đường hỏng",
            content="Đường thôn Một hỏng",
            concerned="UBND xã",
        )
        session.commit()
        about_id = about.id
    staff = as_user("alpha", "x-staff")
    overview = f"supervision/people/{person['id']}/overview"
    # Naming the person is only a proposal: nothing is listed before someone confirms it.
    assert staff.get(overview).get_json()["cases"] == []
    linked = staff.post(f"supervision/cases/{about_id}/people", json={"person_id": person["id"]})
    assert linked.status_code == 201
    body = staff.get(overview).get_json()
    assert [c["id"] for c in body["cases"]] == [about_id]
    assert set(body["cases"][0]) == {
        "id",
        "number",
        "unit_id",
        "received_on",
        "title",
        "status",
        "due_on",
    }
