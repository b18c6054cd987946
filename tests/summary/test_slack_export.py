"""`kubemedic summarize` on a Slack workspace export as Slack gives it: the .zip or its unzipped root.

examples/slack-export is such an export (users.json, channels.json,
groups.json for the private channel, one folder of day files per channel),
written by hand the way Slack writes one: an incident channel with an OOM
paste, a Pending pod, a thread, bot and join messages, and messages without
`user_profile`, whose authors only users.json can name.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tests.cli.runner import Result, kubemedic_in_process

EXPORT = Path(__file__).resolve().parents[2] / "examples" / "slack-export"
INCIDENT = "inc-142-checkout-502"


def _zip(folder: Path, target: Path, *, top: str = "") -> Path:
    """Zip `folder` as Slack does (its files at the archive root), or under one `top` folder."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}{path.relative_to(folder).as_posix()}")
    return target


@pytest.fixture(scope="module")
def from_zip(tmp_path_factory: pytest.TempPathFactory) -> Result:
    archive = _zip(
        EXPORT, tmp_path_factory.mktemp("zip") / "Acme Slack export May 13 2024 - May 15 2024.zip"
    )
    return kubemedic_in_process("summarize", str(archive), "--channel", INCIDENT)


def _one_line_refusal(result: Result) -> str:
    assert result.code == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    return result.stderr


def test_the_zip_is_summarized_with_incidents_people_and_resources(from_zip: Result) -> None:
    assert from_zip.code == 0, from_zip.stderr
    text = from_zip.stdout
    assert text.startswith(
        f"Incident summary: {INCIDENT}\n\nMitigated after 44m (started May 14 09:07 UTC"
    )
    assert "oom-killed" in text and "pending-" in text
    # names from users.json: Carol's messages carry no user_profile; display names win over real names
    # (bob's only message, "scaling the node group from 3 to 5 workers", is no incident: he is named
    # through the mention below)
    assert "(Carol Silva)" in text and "(deepa (on call))" in text
    assert "U05CAROL003" not in text and "U05DEEPA004" not in text
    assert "thanks @deepa (on call) @bob!" in text  # <@U…> mentions become names
    assert "Namespaces: checkout" in text
    assert "Pods: checkout-api-6c5b4d7f9-p8k2m, checkout-api-7d9f8c6b5-x2x4q" in text
    assert "Nodes: ip-10-0-5-23.eu-west-1.compute.internal" in text
    assert "ramen" not in text  # #general is another channel


def test_the_unzipped_root_gives_the_same_summary(from_zip: Result) -> None:
    unzipped = kubemedic_in_process("summarize", str(EXPORT), "--channel", INCIDENT)
    assert unzipped.code == 0 and unzipped.stdout == from_zip.stdout


def test_a_zip_of_the_unzipped_folder_is_read_too(tmp_path: Path, from_zip: Result) -> None:
    archive = _zip(EXPORT, tmp_path / "export.zip", top="slack-export/")
    again = kubemedic_in_process("summarize", str(archive), "--channel", INCIDENT, "--markdown")
    assert again.code == 0, again.stderr
    assert (
        again.stdout.startswith(f"# Incident summary: {INCIDENT}")
        and "`oom-killed`" in again.stdout
    )


def test_a_channel_is_picked_by_name_with_a_hash_or_by_id(from_zip: Result) -> None:
    for pick in (f"#{INCIDENT}", "C05INC00142"):
        result = kubemedic_in_process("summarize", str(EXPORT), "--channel", pick)
        assert result.code == 0 and result.stdout == from_zip.stdout


def test_a_private_channel_from_groups_json(tmp_path: Path) -> None:
    result = kubemedic_in_process(
        "summarize", str(_zip(EXPORT, tmp_path / "e.zip")), "--channel", "C05PLATFRM1"
    )
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("Incident summary: platform-private")
    assert "none recognised yet" in result.stdout


def test_several_channels_without_channel_lists_them() -> None:
    stderr = _one_line_refusal(kubemedic_in_process("summarize", str(EXPORT)))
    assert stderr == (
        f"kubemedic: {EXPORT} holds 3 channels (general, {INCIDENT}, platform-private): "
        "pick one with --channel NAME\n"
    )


def test_an_unknown_channel_lists_the_ones_there_are() -> None:
    stderr = _one_line_refusal(
        kubemedic_in_process("summarize", str(EXPORT), "--channel", "inc-999")
    )
    assert "no channel 'inc-999'" in stderr and INCIDENT in stderr


def test_a_channel_folder_inside_an_export_names_people_from_users_json(tmp_path: Path) -> None:
    result = kubemedic_in_process("summarize", str(EXPORT / INCIDENT))
    assert result.code == 0, result.stderr
    assert "(Carol Silva)" in result.stdout
    alone = tmp_path / INCIDENT
    shutil.copytree(EXPORT / INCIDENT, alone)  # without its users.json: the ids stay
    assert "(U05CAROL003)" in kubemedic_in_process("summarize", str(alone)).stdout


def test_broken_archives_are_refused_in_one_line(tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(_zip(EXPORT, tmp_path / "whole.zip").read_bytes()[:-200])
    assert "is not a readable zip archive" in _one_line_refusal(
        kubemedic_in_process("summarize", str(truncated))
    )
    sneaky = tmp_path / "sneaky.zip"
    with zipfile.ZipFile(sneaky, "w") as archive:
        archive.writestr(
            "../../etc/evil/2024-05-14.json", '[{"type": "message", "text": "OOMKilled"}]'
        )
        archive.writestr("users.json", "[]")
    assert "holds no channel folders" in _one_line_refusal(
        kubemedic_in_process("summarize", str(sneaky))
    )
    not_json = tmp_path / "notjson.zip"
    with zipfile.ZipFile(not_json, "w") as archive:
        archive.writestr("users.json", b"\xff\xfe not utf-8")
        archive.writestr("inc-x/2024-05-14.json", "[]")
    assert "users.json is not UTF-8 text" in _one_line_refusal(
        kubemedic_in_process("summarize", str(not_json))
    )


def test_a_channel_flag_that_contradicts_a_channel_folder_is_refused() -> None:
    stderr = _one_line_refusal(
        kubemedic_in_process("summarize", str(EXPORT / INCIDENT), "--channel", "general")
    )
    assert "--channel general does not match inc-142-checkout-502" in stderr
