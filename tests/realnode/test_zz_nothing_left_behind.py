"""`.ci/kube-node.sh stop` gives the machine back as it found it. Runs last in the tier: it stops the node.

The script recorded the host before containerd and the kubelet first started
(STATE/host-before: sysctl values, which hard-wired paths existed, links, netns,
mounts, cgroups, routes, addresses, the nftables ruleset). After `stop`: none of the node's
processes is alive (the recorded PIDs, the shims, anything in the kubelet's cgroups), and no
mount, cgroup, netns, link, route, address, path, sysctl or firewall rule (kube-proxy's
chains, and the tables iptables-nft made for them) differs from that record.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.realnode.node import RealNode

HARDWIRED = (
    "/run/containerd",
    "/run/netns",
    "/var/lib/cni",
    "/var/lib/kubelet",
    "/var/log/pods",
    "/var/log/containers",
    "/run/xtables.lock",
)


def node_pids(state: Path) -> set[int]:
    """Every process the node runs: recorded PIDs, containerd shims, and the containers
    (whatever is in the kubelet's cgroups)."""
    files = [
        *state.glob("*.pid"),
        *state.glob("containerd/state/io.containerd.runtime.v2.task/*/*/shim.pid"),
    ]
    # ours hold "PID STARTTIME" (.ci/lib.sh remember_pid), containerd's shims the PID alone
    pids = {int(f.read_text().split()[0]) for f in files if f.read_text().strip()}
    for procs in Path("/sys/fs/cgroup/pids/kubepods").rglob("cgroup.procs"):
        pids |= {int(line) for line in procs.read_text().split()}
    return pids


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def started(pid: int) -> str | None:
    """The process's start time (clock ticks since boot), None when there is no such process:
    with pid_max 32768 on a busy machine a PID is handed out again within a minute."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def links() -> set[str]:
    return {name.split("@")[0] for name in os.listdir("/sys/class/net")}


def mounts() -> set[str]:
    return {line.split()[1] for line in Path("/proc/self/mounts").read_text().splitlines()}


def cgroups() -> set[str]:
    root = Path("/sys/fs/cgroup")
    found = {str(p) for p in root.glob("*/*") if p.is_dir()}
    return found | {str(p) for p in root.glob("*/*/*") if p.is_dir()}


VOLATILE = (
    "fs.dentry-state",
    "fs.file-nr",
    "fs.inode-nr",
    "fs.inode-state",
    "fs.quota.",
    "kernel.ns_last_pid",
    "kernel.random.",
    "net.netfilter.nf_conntrack_count",
    "kernel.pty.nr",
)
"""Counters the kernel moves by itself (any process on the machine changes them)."""


def sysctls() -> dict[str, str]:
    done = subprocess.run(["sysctl", "-a"], capture_output=True, text=True, check=False)
    return parse_sysctls(done.stdout)


def parse_sysctls(text: str) -> dict[str, str]:
    found = (line.split(" = ", 1) for line in text.splitlines() if " = " in line)
    return {key: value for key, value in found if not key.startswith(VOLATILE)}


def routes() -> set[str]:
    """Every IPv4 route of every table, as .ci/kube-node.sh records them."""
    done = subprocess.run(
        ["ip", "-4", "route", "show", "table", "all"], capture_output=True, text=True, check=True
    )
    return {line.rstrip() for line in done.stdout.splitlines() if line.strip()}


def addresses() -> set[str]:
    """Every IPv4 address, "LINK ADDRESS/PREFIX"."""
    done = subprocess.run(
        ["ip", "-4", "-o", "addr", "show"], capture_output=True, text=True, check=True
    )
    return {" ".join(line.split()[1:4:2]) for line in done.stdout.splitlines() if line.strip()}


def ruleset() -> str:
    """Every nftables table, chain and rule (iptables-nft's included), as `nft` lists them."""
    done = subprocess.run(["nft", "list", "ruleset"], capture_output=True, text=True, check=True)
    return done.stdout


def iptables_chains() -> list[str]:
    """Chains and rules of kube-proxy's (KUBE-...) the iptables command still shows."""
    found: list[str] = []
    for table in ("nat", "filter", "mangle"):
        done = subprocess.run(
            ["iptables", "-w", "5", "-t", table, "-S"], capture_output=True, text=True, check=False
        )
        found += [line for line in done.stdout.splitlines() if "KUBE-" in line]
    return found


def lines(path: Path) -> set[str]:
    return set(path.read_text().split("\n")) - {""} if path.exists() else set()


def test_stop_leaves_no_process_mount_cgroup_netns_link_route_address_path_or_sysctl_behind(
    node: RealNode, tmp_path: Path
) -> None:
    before = tmp_path / "host-before"
    shutil.copytree(node.state / "host-before", before)
    daemons = {int(f.read_text().split()[0]) for f in node.state.glob("*.pid")}
    assert daemons and all(alive(pid) for pid in daemons)
    # (a container's short-lived processes, e.g. the shop's calls, may end in between)
    pids = {pid: since for pid in node_pids(node.state) if (since := started(pid)) is not None}
    etcd_data = Path((node.state / "etcd-data").read_text().strip())

    node.script("stop", timeout=180)

    assert not node.state.exists()
    assert not etcd_data.exists()
    assert [pid for pid, since in pids.items() if started(pid) == since] == []
    assert not Path("/run/containerd/containerd.sock").exists()
    kept = lines(before / "paths")
    assert [p for p in HARDWIRED if Path(p).exists() and p not in kept] == []
    assert sorted(mounts() - lines(before / "mounts")) == []
    assert (
        sorted(c for c in cgroups() - lines(before / "cgroups") if "kubepods" in c or "k8s.io" in c)
        == []
    )
    assert not any(Path("/sys/fs/cgroup").glob("*/kubepods"))
    assert sorted(links() - lines(before / "links")) == []
    # the host's address on the bridge, the API relay's address, the unreachable routes
    assert (routes() ^ lines(before / "routes"), addresses() ^ lines(before / "addresses")) == (
        set(),
        set(),
    )
    assert "10.88.0." not in " ".join(routes() | addresses())
    # kube-proxy's chains and rules, and the tables made for them
    assert ruleset() == (before / "nft-ruleset").read_text()
    assert iptables_chains() == []  # (listing creates nothing: checked after the ruleset)
    netns = set(os.listdir("/run/netns")) if Path("/run/netns").exists() else set()
    assert sorted(netns - lines(before / "netns")) == []
    for line in lines(before / "sysctl"):
        key, value = line.split("=", 1)
        now = Path("/proc/sys", *key.split(".")).read_text().strip()
        assert now == value, f"{key} is {now}, was {value} before the node started"
    # and nothing else either: every sysctl the kernel lists, but its own counters
    was, now = parse_sysctls((before / "sysctl-all").read_text()), sysctls()
    assert {
        k: (was.get(k), now.get(k)) for k in was.keys() | now.keys() if was.get(k) != now.get(k)
    } == {}
