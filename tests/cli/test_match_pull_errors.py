"""`kubemedic match` on dockerd's pull errors: the registry it could not reach is the answer.

dockerd reports a failed image configuration download as "error pulling image configuration: "
followed by the HTTP client's error (moby distribution/pull_v2.go, 1.13-28.x), since 20.10 often
wrapped as "download failed after attempts=N: ..."; a Go "dial tcp" error there means the
registry (or the CDN serving its blobs) was never reached."""

from __future__ import annotations

import pytest

from tests.cli.runner import kubemedic

BLOB_URL = (
    "https://production.cloudflare.docker.com/registry-v2/docker/registry/v2/blobs/sha256/3f/3f57d9401f8d"
    "42f986df300f0c69192fc41da28ccc8d797829467780db3dd741/data?verify=1712345678-Xb2k9QpL0s%2FyE"
)
PULLS = {
    "dns": (
        b"$ docker pull postgres:16\n16: Pulling from library/postgres\n8a1e25ce7c4f: Pulling fs layer\n"
        b"error pulling image configuration: Get "
        + BLOB_URL.encode()
        + b": dial tcp: lookup production.cloudflare.docker.com on 192.168.1.1:53: read udp"
        b" 192.168.1.20:50212->192.168.1.1:53: i/o timeout\n"
    ),
    "retries": (
        b"Unable to find image 'redis:7' locally\n7: Pulling from library/redis\n"
        b"docker: error pulling image configuration: download failed after attempts=6: dial tcp"
        b" 104.16.101.215:443: i/o timeout.\nSee 'docker run --help'.\n"
    ),
}


@pytest.mark.parametrize("name", sorted(PULLS))
def test_a_configuration_download_that_never_connected_is_the_registry_unreachable(
    name: str,
) -> None:
    result = kubemedic("match", "--json", stdin=PULLS[name])
    assert result.code == 0, result.stderr
    body = result.json()
    assert body["answer"] == "image-registry-unreachable"
    assert body["matches"][0]["confidence"] == "high"
