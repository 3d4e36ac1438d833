"""docker-compose.yml: parses, one image for every app service, roles, start order, no secrets."""

from __future__ import annotations

import re

import pytest

from tests.plugins.infra import COMPOSE_FILE, QUEUES

APP_SERVICES = {"migrate", "web", "worker", "scheduler"}
BACKING_SERVICES = {"postgres", "redis", "minio"}
#: A credential in the compose file: from the environment, else an obviously-dev default.
DEV_DEFAULT = re.compile(r"\$\{[A-Z][A-Z0-9_]*(:-dev-only-[a-z0-9-]+|:\?[^}]+)\}")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY$", re.I)
URL_PASSWORD = re.compile(r"://[^:/@\s]+:([^@\s]+)@")


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def test_services_are_all_there(compose):
    assert set(compose["services"]) == APP_SERVICES | BACKING_SERVICES


def test_app_services_share_one_image_built_from_infra_dockerfile(compose):
    services = compose["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    builds = [services[name].get("build") for name in APP_SERVICES]
    assert len(images) == 1
    assert all(b == {"context": ".", "dockerfile": "infra/Dockerfile"} for b in builds)
    assert (COMPOSE_FILE.parent / "infra" / "Dockerfile").is_file()


def test_every_app_service_runs_an_entrypoint_role(compose, roles):
    for name in APP_SERVICES:
        command = compose["services"][name]["command"]
        assert isinstance(command, list) and command[0] in roles, (name, command)
    assert compose["services"]["migrate"]["command"] == ["migrate"]
    assert compose["services"]["web"]["command"] == ["web"]
    assert compose["services"]["scheduler"]["command"] == ["scheduler"]


def test_the_worker_serves_every_queue(compose):
    role, *queues = compose["services"]["worker"]["command"]
    assert role == "worker"
    assert set(queues) == QUEUES


def test_start_order_waits_for_health_and_for_migrations(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        for backing in BACKING_SERVICES:
            assert depends[backing] == {"condition": "service_healthy"}, (name, backing)
            assert services[backing]["healthcheck"]["test"], backing
    for name in APP_SERVICES - {"migrate"}:
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert services["migrate"]["restart"] == "no"


def test_web_health_is_readyz(compose):
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test[0] == "CMD" and any("/readyz" in part for part in test)
    assert compose["services"]["web"]["healthcheck"]["start_period"]


def test_postgresql_is_16_or_newer_official_image(compose):
    image = compose["services"]["postgres"]["image"]
    match = re.fullmatch(r"postgres:(\d+)(\.\d+)*(-[a-z0-9]+)?", image)
    assert match and int(match.group(1)) >= 16, image


def test_app_containers_are_hardened_like_in_helm(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["read_only"] is True
        assert "/tmp" in service["tmpfs"]
        assert service["cap_drop"] == ["ALL"]


@pytest.mark.parametrize("service", sorted(APP_SERVICES | BACKING_SERVICES))
def test_no_credential_is_hard_coded(compose, service):
    for key, value in environment(compose["services"][service]).items():
        if SECRET_NAME.search(key):
            assert DEV_DEFAULT.fullmatch(value), f"{service}: {key}={value!r}"
        for password in URL_PASSWORD.findall(value):
            assert DEV_DEFAULT.fullmatch(password), f"{service}: {key} has password {password!r}"


def test_app_and_backing_services_agree_on_credentials(compose):
    services = compose["services"]
    app = environment(services["web"])
    minio = environment(services["minio"])
    postgres = environment(services["postgres"])
    assert app["GIAMSAT_S3_ACCESS_KEY"] == minio["MINIO_ROOT_USER"]
    assert app["GIAMSAT_S3_SECRET_KEY"] == minio["MINIO_ROOT_PASSWORD"]
    assert (
        URL_PASSWORD.search(app["GIAMSAT_DATABASE_URL"]).group(1) == postgres["POSTGRES_PASSWORD"]
    )
    assert app["GIAMSAT_DATABASE_URL"].startswith("postgresql+psycopg://")
    for name in APP_SERVICES:
        assert environment(services[name]) == app, name
