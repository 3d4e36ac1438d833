from sqlalchemy import select

from giamsat.units.models import Unit


def test_world_has_two_tenants_with_two_communes(world, tenant_session):
    for tw in (world.alpha, world.beta):
        s = tenant_session(tw.slug)
        names = s.scalars(select(Unit.name).where(Unit.level_code == "commune")).all()
        assert len(names) == 2


def test_writes_roll_back_between_tests_part1(world, tenant_session):
    s = tenant_session("alpha")
    s.get(Unit, world.alpha.area_x).name = "Đã đổi"
    s.commit()
    assert tenant_session("alpha").get(Unit, world.alpha.area_x).name == "Đã đổi"


def test_writes_roll_back_between_tests_part2(world, tenant_session):
    assert tenant_session("alpha").get(Unit, world.alpha.area_x).name == "Thôn Một"
