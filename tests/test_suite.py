"""The suite's own guard rails: what a fresh clone or a CI machine lacks is never a silent skip."""

from __future__ import annotations

import pytest

from tests.conftest import shared_material


def test_missing_shared_material_skips_on_a_laptop_and_fails_under_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"no-such-file\.csv is not beside"):
        shared_material("no-such-file.csv")
    for value in ("true", "1"):
        monkeypatch.setenv("CI", value)
        with pytest.raises(pytest.fail.Exception, match="CI is set, so the tests that read it"):
            shared_material("no-such-file.csv")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        shared_material("no-such-file.csv")


def test_the_version_the_command_prints_is_the_packaged_one() -> None:
    """`workbench --version` reads workbench.__version__; pyproject.toml gives the package's."""
    import tomllib
    from pathlib import Path

    from workbench import __version__

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    assert __version__ == declared
