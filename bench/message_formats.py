"""Where each message format in intents/messages/data came from, and which releases print it.

    python -m bench.message_formats                 # coverage table (formats per component and answer)
    python -m bench.message_formats --markdown      # the same, as the table in docs/matching.md
    python -m bench.message_formats --provenance    # check every format's literals at each release tag
    python -m bench.message_formats --provenance --write   # record the measured version ranges
    python -m bench.message_formats --candidates kube-scheduler   # source literals not in the data yet

The formats are data written by hand from the components' source; this tool
only measures them against that source: for every release tag of a source
repository it asks `git grep -F` which of the format's `literals` (the Go
string literals the message is built from) exist in the component's tree,
and a format's version range is the releases where all of them do.  It
needs local git snapshots of the repositories (see MIRRORS; a missing one is
skipped) and never copies code: only which releases contain which string.

kube-scheduler, kubelet and the controllers live in kubernetes/kubernetes,
which is read here through the copy of it that kubernetes/autoscaler
vendors at each cluster-autoscaler release (cluster-autoscaler 1.N vendors
Kubernetes 1.N; 0.5 to 1.3 vendor 1.6 to 1.11).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from intents.messages.formats import DATA, MessageFormat, load_formats

MIRRORS = Path(os.environ.get("KUBEMEDIC_MIRRORS", "/work/.mirror"))


@dataclass(frozen=True)
class Release:
    version: str
    git_dir: Path
    tag: str
    prefix: str


def _autoscaler_tags() -> dict[int, str]:
    tags = {6: "0.5.4", 7: "0.6.4", 8: "1.0.6", 9: "1.1.3", 10: "1.2.5", 11: "1.3.0", 27: "1.27.1"}
    tags.update({minor: f"1.{minor}.0" for minor in range(12, 31) if minor not in tags})
    return {minor: f"cluster-autoscaler-{version}" for minor, version in tags.items()}


def _staging(repo: str, prefix: str = "") -> list[Release]:
    git_dir = MIRRORS / repo / "repo"
    return [
        Release(f"1.{minor}", git_dir, f"kubernetes-1.{minor}.0", prefix) for minor in range(16, 33)
    ]


def _first_patches(repo: str, tag_prefix: str, minors: Sequence[str]) -> list[Release]:
    """One release per minor: its `.0` tag, or the lowest patch tag the snapshot holds (a
    project that skipped or never mirrored `.0`, as traefik v2.9 and ingress-nginx 1.5)."""
    git_dir = MIRRORS / repo / "repo"
    listed = subprocess.run(
        ["git", f"--git-dir={git_dir}", "tag", "-l", f"{tag_prefix}*"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    patches: dict[str, list[int]] = defaultdict(list)
    for tag in listed:
        found = re.fullmatch(re.escape(tag_prefix) + r"(\d+\.\d+)\.(\d+)", tag)
        if found:
            patches[found.group(1)].append(int(found.group(2)))
    return [
        Release(minor, git_dir, f"{tag_prefix}{minor}.{min(patches[minor])}", "")
        for minor in minors
        if minor in patches
    ]


def releases() -> dict[str, list[Release]]:
    """Each source name's releases, oldest first."""
    autoscaler = MIRRORS / "kubernetes+autoscaler" / "repo"
    vendored = {
        name: [
            Release(f"1.{minor}", autoscaler, tag, f"cluster-autoscaler/vendor/k8s.io/{name}/")
            for minor, tag in sorted(_autoscaler_tags().items())
        ]
        for name in ("kubernetes",)
    }
    minors = {
        "containerd": ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "2.0", "2.1"],
        "cri-o": [f"1.{minor}" for minor in range(16, 33)],
        "helm": [*(f"2.{minor}" for minor in range(18)), *(f"3.{minor}" for minor in range(18))],
        "kube-rbac-proxy": [f"0.{minor}" for minor in range(1, 22)],
        "runc": [f"1.{minor}" for minor in range(6)],
        "cni": ["0.6", "0.7", "0.8", "1.0", "1.1", "1.2", "1.3"],
        "cni-plugins": ["0.7", "0.8", "0.9", *(f"1.{minor}" for minor in range(10))],
        "calico": [f"3.{minor}" for minor in range(22, 33)],
        "coredns": [f"1.{minor}" for minor in range(15)],
        "external-provisioner": [
            *(f"1.{m}" for m in range(7)),
            "2.0",
            "2.1",
            "2.2",
            *(f"3.{m}" for m in range(7)),
            "4.0",
            *(f"5.{m}" for m in range(4)),
            *(f"6.{m}" for m in range(4)),
        ],
        "metallb": [f"0.{minor}" for minor in range(9, 16)],
        "vault-plugin-auth-kubernetes": [f"0.{minor}" for minor in range(7, 25)],
        "karpenter": [*(f"0.{m}" for m in range(33, 38)), *(f"1.{m}" for m in range(15))],
        "kyverno": [f"1.{minor}" for minor in range(6, 16)],
        "keda": [f"2.{minor}" for minor in range(21)],
        "longhorn-manager": [f"1.{minor}" for minor in range(13)],
        "argo-cd": [*(f"2.{minor}" for minor in range(15)), *(f"3.{minor}" for minor in range(6))],
        "prometheus-operator": [f"0.{minor}" for minor in range(31, 94)],
        "external-attacher": [
            "0.2",
            "0.3",
            "0.4",
            "1.0",
            "1.1",
            "1.2",
            "2.0",
            "2.1",
            "2.2",
            *(f"3.{m}" for m in range(6)),
            *(f"4.{m}" for m in range(13)),
        ],
    }
    own = {
        key: [Release(v, MIRRORS / f"{owner}+{name}" / "repo", f"v{v}.0", "") for v in versions]
        for key, (owner, name), versions in (
            ("containerd", ("containerd", "containerd"), minors["containerd"]),
            ("cri-o", ("cri-o", "cri-o"), minors["cri-o"]),
            ("helm", ("helm", "helm"), minors["helm"]),
            ("kube-rbac-proxy", ("brancz", "kube-rbac-proxy"), minors["kube-rbac-proxy"]),
            ("runc", ("opencontainers", "runc"), minors["runc"]),
            ("cni", ("containernetworking", "cni"), minors["cni"]),
            ("cni-plugins", ("containernetworking", "plugins"), minors["cni-plugins"]),
            ("calico", ("projectcalico", "calico"), minors["calico"]),
            ("coredns", ("coredns", "coredns"), minors["coredns"]),
            (
                "external-provisioner",
                ("kubernetes-csi", "external-provisioner"),
                minors["external-provisioner"],
            ),
            (
                "external-attacher",
                ("kubernetes-csi", "external-attacher"),
                minors["external-attacher"],
            ),
            ("metallb", ("metallb", "metallb"), minors["metallb"]),
            (
                "vault-plugin-auth-kubernetes",
                ("hashicorp", "vault-plugin-auth-kubernetes"),
                minors["vault-plugin-auth-kubernetes"],
            ),
            ("karpenter", ("kubernetes-sigs", "karpenter"), minors["karpenter"]),
            ("kyverno", ("kyverno", "kyverno"), minors["kyverno"]),
            ("argo-cd", ("argoproj", "argo-cd"), minors["argo-cd"]),
            ("keda", ("kedacore", "keda"), minors["keda"]),
            ("longhorn-manager", ("longhorn", "longhorn-manager"), minors["longhorn-manager"]),
            (
                "prometheus-operator",
                ("prometheus-operator", "prometheus-operator"),
                minors["prometheus-operator"],
            ),
        )
    }
    return {
        **vendored,
        "apiserver": _staging("kubernetes+apiserver"),
        "apimachinery": _staging("kubernetes+apimachinery"),
        "client-go": _staging("kubernetes+client-go"),
        "cli-runtime": _staging("kubernetes+cli-runtime"),
        "kubectl": _staging("kubernetes+kubectl"),
        "pod-security-admission": _staging("kubernetes+pod-security-admission"),
        **own,
        "traefik": _first_patches(
            "traefik+traefik",
            "v",
            ["1.7", *(f"2.{m}" for m in range(12)), *(f"3.{m}" for m in range(8))],
        ),
        "strimzi": _first_patches(
            "strimzi+strimzi-kafka-operator",
            "",
            [*(f"0.{m}" for m in range(20, 46)), *(f"1.{m}" for m in range(3))],
        ),
        "ingress-nginx": _first_patches(
            "kubernetes+ingress-nginx",
            "controller-v",
            [*(f"0.{m}" for m in range(34, 52)), *(f"1.{m}" for m in range(16))],
        ),
    }


def _present(release: Release, literals: set[str], where: str) -> set[str]:
    """Which of the literals `git grep -F` finds in the release's tree under `where`."""
    if not literals:
        return set()
    found: set[str] = set()
    pathspec = [f"{release.prefix}{where}" or ".", ":!*_test.go"]
    result = subprocess.run(
        [
            "git",
            f"--git-dir={release.git_dir}",
            "grep",
            "-F",
            "-o",
            "-h",
            "-I",
            *(arg for literal in sorted(literals) for arg in ("-e", literal)),
            release.tag,
            "--",
            *pathspec,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        found.add(line.split(":", 1)[1] if line.startswith(release.tag + ":") else line)
    return found & literals


def _available(release: Release) -> bool:
    return (
        subprocess.run(
            ["git", f"--git-dir={release.git_dir}", "rev-parse", "-q", "--verify", release.tag],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )


def measure(formats: Sequence[MessageFormat]) -> dict[str, list[str]]:
    """For each format key, the releases where all its literals exist."""
    every = releases()
    by_source: dict[str, list[MessageFormat]] = defaultdict(list)
    for fmt in formats:
        if not fmt.manual:
            by_source[fmt.repo].append(fmt)
    seen: dict[str, list[str]] = {fmt.key: [] for fmt in formats}
    for source, group in by_source.items():
        wanted_where: dict[str, set[str]] = defaultdict(set)
        for fmt in group:
            wanted_where[fmt.within].update(fmt.literals)
        for release in every.get(source, []):
            if not _available(release):
                continue
            present = {
                where: _present(release, literals, where)
                for where, literals in wanted_where.items()
            }
            for fmt in group:
                if set(fmt.literals) <= present[fmt.within]:
                    seen[fmt.key].append(release.version)
    return seen


def version_ranges(found: Sequence[str], order: Sequence[str]) -> str:
    """'1.18-1.23, 1.25' from the releases a format was found in, in release order."""
    spans: list[list[str]] = []
    last = -2
    for position, version in enumerate(order):
        if version not in found:
            continue
        if position == last + 1 and spans:
            spans[-1][1] = version
        else:
            spans.append([version, version])
        last = position
    return ", ".join(a if a == b else f"{a}-{b}" for a, b in spans)


def provenance(write: bool) -> int:
    formats = load_formats()
    measured = measure(formats)
    every = releases()
    problems = 0
    updates: dict[str, str] = {}
    for fmt in formats:
        if fmt.manual:
            continue
        order = [r.version for r in every.get(fmt.repo, [])]
        ranges = version_ranges(measured[fmt.key], order)
        if not ranges:
            print(f"NOT FOUND  {fmt.key}: {fmt.literals}")
            problems += 1
        elif ranges != fmt.versions:
            print(f"versions   {fmt.key}: recorded {fmt.versions!r}, measured {ranges!r}")
            updates[fmt.key] = ranges
    if write and updates:
        _write_versions(updates)
    print(f"{len(formats)} formats, {problems} not found, {len(updates)} version ranges differ")
    return 1 if problems else 0


_ID_LINE = re.compile(r"^  - id: (\S+)\s*$")
_VERSIONS_LINE = re.compile(r"^    versions: .*$")


def _write_versions(updates: dict[str, str]) -> None:
    """Rewrite the `versions:` line of each updated format in place (comments kept)."""
    for path in sorted(DATA.glob("*.yaml")):
        component = ""
        lines = path.read_text(encoding="utf-8").splitlines()
        current = ""
        for number, line in enumerate(lines):
            if line.startswith("component: "):
                component = line.split(":", 1)[1].strip()
            found = _ID_LINE.match(line)
            if found:
                current = f"{component}/{found.group(1)}"
            elif current in updates and _VERSIONS_LINE.match(line):
                lines[number] = f'    versions: "{updates[current]}"'
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def candidates(component: str) -> int:
    """Go string literals in the component's tree (newest release) that name a failure and that
    no format's literals cover: what to read next when extending the data."""
    formats = [f for f in load_formats() if f.component == component]
    if not formats:
        print(f"no formats for component {component!r}")
        return 1
    fmt = formats[0]
    release = [r for r in releases()[fmt.repo] if _available(r)][-1]
    known = {literal for f in formats for literal in f.literals}
    wheres = sorted({f.within for f in formats})
    result = subprocess.run(
        [
            "git",
            f"--git-dir={release.git_dir}",
            "grep",
            "-h",
            "-o",
            "-E",
            r'"[^"]{12,}"',
            release.tag,
            "--",
            *(f"{release.prefix}{w}" for w in wheres),
            ":!*_test.go",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    failing = re.compile(
        r"(?i)fail|error|unable|cannot|can't|not |denied|invalid|exceed|insufficient|"
        r"timed out|back-off|unhealthy|forbidden"
    )
    for literal in sorted({line.strip('"') for line in result.stdout.splitlines()}):
        if failing.search(literal) and not any(literal in k or k in literal for k in known):
            print(literal)
    return 0


COVERAGE_COLUMNS = (
    "component",
    "formats",
    "answered by an entry",
    "entry planned",
    "symptom (cause elsewhere)",
    "not a problem",
    "uncovered",
)


def coverage_rows() -> list[tuple[str, ...]]:
    """Per component: formats, and how many the product answers with an entry, with an entry
    still planned (tests/corpus/real/PLANNED-IDS), leaves as a symptom, knows to be normal, or
    knows but cannot answer (no entry explains it)."""
    from intents.loader import load_catalog
    from intents.messages.formats import NOT_A_PROBLEM, SYMPTOM, UNCOVERED

    ids = set(load_catalog().entries)
    rows: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for fmt in load_formats():
        row = rows[fmt.component]
        row[0] += 1
        entries = fmt.answers() - {NOT_A_PROBLEM, UNCOVERED, SYMPTOM}
        if entries and entries <= ids:
            row[1] += 1
        elif entries:
            row[2] += 1
        elif fmt.entry == SYMPTOM:
            row[3] += 1
        elif fmt.entry == NOT_A_PROBLEM:
            row[4] += 1
        else:
            row[5] += 1
    table = [(name, *(str(n) for n in counts)) for name, counts in sorted(rows.items())]
    totals = [sum(counts[i] for counts in rows.values()) for i in range(6)]
    return [*table, ("all", *(str(n) for n in totals))]


def coverage(markdown: bool) -> int:
    rows = coverage_rows()
    if markdown:
        print("| " + " | ".join(COVERAGE_COLUMNS) + " |")
        print("|" + "---|" * len(COVERAGE_COLUMNS))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        for row in [COVERAGE_COLUMNS, *rows]:
            print(f"{row[0]:<24}" + "".join(f"{cell:>27}" for cell in row[1:]))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--markdown", action="store_true", help="print the coverage table as markdown"
    )
    parser.add_argument(
        "--provenance", action="store_true", help="check the formats against the sources"
    )
    parser.add_argument(
        "--write", action="store_true", help="with --provenance: record measured versions"
    )
    parser.add_argument("--candidates", metavar="COMPONENT", help="literals not covered yet")
    args = parser.parse_args(argv)
    if args.provenance:
        return provenance(args.write)
    if args.candidates:
        return candidates(args.candidates)
    return coverage(args.markdown)


if __name__ == "__main__":
    sys.exit(main())
