"""CPU per paste of `kubemedic match`'s path, on a fixed sample of labelled pastes.

    python -m bench.match_cpu [--every N]      # every N-th development paste (default 12)

Each paste goes through `diagnose_paste` as `kubemedic match` runs it (the learned decision
included, within the text's CPU budget); the figure is the process's CPU over the loop, per
paste (the catalog's load is not in it). To compare two versions on the same pastes, run it in
two checkouts in turn, a few pairs, and take the ratio of each pair's whole-process CPU (user +
system, e.g. `/usr/bin/time -f '%U %S'`), quoting the median (docs/benchmarks.md, "Match CPU");
a checkout without `bot.runtime.budget` (84e0a9fb) runs the same loop with `diagnose_paste` alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--every", type=int, default=12, help="every N-th paste (default 12)")
    args = parser.parse_args(argv)
    from bot.diagnosis.paste import diagnose_paste
    from bot.runtime.budget import TEXT_CPU_SECONDS, within_budget
    from intents.loader import load_catalog
    from intents.matcher import Matcher
    from tests.real_corpus import load

    matcher = Matcher.from_entries(sorted(load_catalog().entries.values(), key=lambda e: e.id))
    texts = [case.text() for case in load("dev")[:: args.every]]
    diagnose_paste(matcher, texts[0])  # first use: lazy regexes, the learned model's load
    started = time.process_time()
    for text in texts:
        within_budget(TEXT_CPU_SECONDS, diagnose_paste, matcher, text)
    spent = time.process_time() - started
    print(f"{len(texts)} pastes, {1000 * spent / len(texts):.2f} ms CPU per paste")
    return 0


if __name__ == "__main__":
    sys.exit(main())
