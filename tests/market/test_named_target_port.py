"""A named targetPort judged from `describe` alone, which never prints the containers' port
names: the endpoints controller's verdict decides. Its Service shown with no endpoint while the
pods it selects are ready means no container declares the name; the endpoints not shown leave
the name unknown, not undeclared."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cascade.asking import ask_recorded, rendered
from tests.market.faults import MARKET as FAMILY

FAULT = next(f for f in FAMILY.faults if f.name == "orders-target-port")


def _ask(folder: Path, home: Path) -> tuple[str | None, str | None, str | None]:
    case = json.loads((folder / "case.json").read_text())
    answer = ask_recorded("service", FAULT, folder, case, home)
    return answer.object, answer.entry, answer.confidence


def test_a_service_without_endpoints_before_ready_pods_has_a_name_no_container_declares(
    tmp_path: Path,
) -> None:
    folder = rendered(FAMILY.recorded / FAULT.name, True, tmp_path / "described")
    assert _ask(folder, tmp_path) == ("service/orders", "service-target-port-mismatch", "high")


def test_endpoints_not_shown_leave_the_name_unknown(tmp_path: Path) -> None:
    folder = rendered(FAMILY.recorded / FAULT.name, True, tmp_path / "described")
    outputs = folder / "outputs"
    for path in outputs.iterdir():  # the same ticket without its endpoints
        text = path.read_text()
        text = re.sub(r"(?m)^Endpoints:.*\n", "", text)
        path.write_text(re.sub(r"(?m)^endpoints/.*\n", "", text))
    found = _ask(folder, tmp_path)
    assert found[1] != "service-target-port-mismatch" or found[2] == "low", found


def test_a_describe_printing_no_endpoint_for_every_service_is_not_believed(tmp_path: Path) -> None:
    # kubectl describe prints `Endpoints: <none>` for every Service where it cannot read them:
    # without the endpoints table nothing shows the orders Service apart from the rest
    folder = rendered(FAMILY.recorded / FAULT.name, True, tmp_path / "described")
    for path in (folder / "outputs").iterdir():
        path.write_text(re.sub(r"(?m)^endpoints/.*\n", "", path.read_text()))
    found = _ask(folder, tmp_path)
    assert found[1] != "service-target-port-mismatch" or found[2] == "low", found
