"""Where the deployment files are, how to read them, and how to render the Helm chart."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from giamsat.core.config import PROJECT_ROOT

ENTRYPOINT = PROJECT_ROOT / "infra" / "entrypoint.sh"
DOCKERFILE = PROJECT_ROOT / "infra" / "Dockerfile"
COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
CHART = PROJECT_ROOT / "helm" / "giamsat"
#: RQ queues named by workload (ARCHITECTURE.md §4).
QUEUES = {"aggregation", "notifications", "ocr", "default"}


def entrypoint_roles() -> set[str]:
    """The role names of the entrypoint's `case` (the catch-all `*` is not a role)."""
    text = ENTRYPOINT.read_text()
    body = text[text.index('case "$role" in') : text.index("esac")]
    return set(re.findall(r"^\s{4}([a-z][a-z-]*)\)\s*$", body, flags=re.MULTILINE))


def find_helm() -> str | None:
    """Helm v3 from $HELM, the cache .ci/helm-check.sh fills, or PATH."""
    for candidate in (
        os.environ.get("HELM"),
        str(PROJECT_ROOT / ".ci-artifacts" / "helm-v3" / "helm"),
        shutil.which("helm"),
    ):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


class Chart:
    """Renders the chart with `helm template` and returns the documents, by kind and name."""

    def __init__(self, helm: str):
        self.helm = helm

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [self.helm, "template", "giamsat", str(CHART), "--namespace", "giamsat", *args],
            capture_output=True,
            text=True,
            timeout=60,
        )

    def render(self, *args: str) -> dict[tuple[str, str], dict]:
        result = self.run(*args)
        assert result.returncode == 0, result.stderr
        docs = [d for d in yaml.safe_load_all(result.stdout) if d]
        return {(d["kind"], d["metadata"]["name"]): d for d in docs}
