"""The README's two fresh-machine commands stay in sync with `.ci/check`, `.ci/run` and the
examples; the configuration page lists every setting."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", readme, flags=re.DOTALL)[:2]


CI = ROOT / ".ci"


def _pytest_line(script: Path) -> str:
    [line] = [line for line in script.read_text().splitlines() if "-m pytest" in line]
    return line


def test_the_readme_test_command_is_check_and_check_sets_itself_up() -> None:
    """The README's second command is `.ci/check`, which makes the venv and installs into it on
    a fresh machine, and runs the linters and the tests."""
    assert _commands()[1].strip() == "bash .ci/check"
    check = (CI / "check").read_text()
    assert "python3 -m venv .venv" in check and "pip install -q -e '.[test]'" in check
    assert "\nrun_linters\n" in check and "-m pytest" in check


def test_check_and_ci_run_the_same_linters_and_check_the_fast_tier_with_each_smoke_test() -> None:
    """`.ci/run` (ci) runs every tier and the linters check runs; check's tests are the fast
    tier and each tier's smoke test (tests/tiers.py SMOKE)."""
    run = (CI / "run").read_text()
    assert "\nrun_linters\n" in run and ". .ci/tools.sh" in run
    for linter in ("ruff check", "ruff format --check", "lint-imports", "mypy --strict"):
        assert linter in (CI / "tools.sh").read_text(), linter
    assert " -m " not in _pytest_line(CI / "run").split("pytest", 1)[1]  # every tier
    assert '-m "not slow or smoke"' in _pytest_line(CI / "check")


def test_main_command_uses_files_that_exist() -> None:
    main_command = _commands()[0]
    for path in re.findall(r"(examples/[\w./-]+)", main_command):
        assert (ROOT / path).exists(), path


def test_the_quick_start_separates_its_two_outputs() -> None:
    """The answer to the paste, a blank line and a `---` line naming the next command, then the
    namespace diagnosis: not one run-on text."""
    parts = _commands()[0].split(" && ")
    [match] = [n for n, part in enumerate(parts) if " match " in part]
    [diagnose] = [n for n, part in enumerate(parts) if " diagnose namespace " in part]
    assert diagnose == match + 2, parts
    printed = subprocess.run(
        ["bash", "-c", parts[match + 1]], capture_output=True, text=True, check=True
    )
    assert printed.stdout == f"\n--- {parts[diagnose].split('kubemedic ', 1)[1]} ---\n"


CONFIGURATION = ROOT / "docs" / "configuration.md"


def test_every_setting_is_documented() -> None:
    from bot.settings import Settings

    readme = CONFIGURATION.read_text()
    missing = [
        field.alias for field in Settings.model_fields.values() if f"`{field.alias}`" not in readme
    ]
    assert missing == []


def test_the_settings_table_is_the_one_generated_from_the_model() -> None:
    from bot.settings import settings_table

    readme = CONFIGURATION.read_text()
    assert settings_table() in readme, (
        "regenerate the configuration table of docs/configuration.md with: "
        "python -c 'from bot.settings import settings_table; print(settings_table())'"
    )


def test_the_readme_shows_a_picture_of_an_answer_that_exists() -> None:
    """The picture is docs/img/answer.png, drawn by tests/browser/test_preview_page.py
    (KUBEMEDIC_WRITE_PICTURE=1 writes it)."""
    readme = (ROOT / "README.md").read_text()
    pictures = re.findall(r"!\[[^\]]+\]\(([^)\s]+\.png)\)", readme)
    assert "docs/img/answer.png" in pictures
    for picture in pictures:
        assert (ROOT / picture).read_bytes().startswith(b"\x89PNG"), picture
