"""Fixtures for the deployment files: parsed compose file, entrypoint roles, a chart renderer."""

from __future__ import annotations

import os

import pytest
import yaml

from tests.plugins.infra import COMPOSE_FILE, Chart, entrypoint_roles, find_helm


@pytest.fixture(scope="session")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="session")
def roles() -> set[str]:
    return entrypoint_roles()


@pytest.fixture(scope="session")
def chart() -> Chart:
    helm = find_helm()
    if helm is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the chart tests: .ci/run runs .ci/helm-check.sh first")
        pytest.skip("no helm binary: run .ci/helm-check.sh once (it caches helm in .ci-artifacts/)")
    return Chart(helm)
