"""The answer model (responses.diagnosis) stays small: importing it loads at most 20 of the
project's modules, and neither the decision's rules nor the learned model.

Counted as a fresh interpreter counts them: the modules of bot/, intents/ and responses/ (each
package's __init__ included) in sys.modules after `import responses.diagnosis`.
"""

from __future__ import annotations

import subprocess
import sys

COUNT = """
import sys
import responses.diagnosis
print("\\n".join(sorted(m for m in sys.modules if m.split(".")[0] in ("bot", "intents", "responses"))))
"""


def test_the_answer_model_loads_at_most_twenty_modules_and_no_decision() -> None:
    run = subprocess.run(
        [sys.executable, "-c", COUNT], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = run.stdout.split()
    assert "responses.diagnosis" in loaded  # the count sees what it counts
    assert len(loaded) <= 20, loaded
    assert [m for m in loaded if m.startswith(("intents.decision", "intents.calibration"))] == []
