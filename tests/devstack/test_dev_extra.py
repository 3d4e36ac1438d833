"""`giamsat dev` without the "dev" extra says how to install it instead of a traceback."""

from __future__ import annotations

from click.testing import CliRunner

from giamsat.commands import dev


def test_the_dev_servers_are_found_when_the_extra_is_installed():
    assert all(dev._installed(name) for name in dev.DEV_PACKAGES)


def test_a_missing_dev_package_is_named_with_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setattr(dev, "DEV_PACKAGES", ("psutil", "no-such-embedded-server"))
    result = CliRunner().invoke(dev.dev, ["--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 1
    assert "no-such-embedded-server" in result.output
    assert "pip install -e '.[dev]'" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "data").exists()
