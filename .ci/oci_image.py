"""Write a single-layer OCI image-layout tar from files on this machine (no image tool, no registry).

    python3 .ci/oci_image.py OUT.tar NAME --file SRC:DEST ... [--link NAME:TARGET ...]
        [--dir DEST ...] [--entrypoint ARG ...] [--cmd ARG ...]

`ctr -n k8s.io images import OUT.tar` accepts the result: index.json carries the
`io.containerd.image.name` annotation, so the image appears under NAME. The layer is
reproducible (fixed mtimes, root ownership, sorted entries), so the same inputs give
the same image id.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path

MEDIA = "application/vnd.oci.image"


def _info(name: str, kind: bytes, mode: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name.lstrip("/"))
    info.type, info.mode, info.mtime, info.uid, info.gid = kind, mode, 0, 0, 0
    return info


def layer(files: list[tuple[Path, str]], links: list[tuple[str, str]], dirs: list[str]) -> bytes:
    """The uncompressed layer tar: directories, then files, then symbolic links."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        paths = [*dirs, *(dest for _, dest in files), *(name for name, _ in links)]
        parents = {str(p) for path in paths for p in Path(path).parents if str(p) != "/"}
        for name in sorted(parents | set(dirs)):
            tar.addfile(_info(name, tarfile.DIRTYPE, 0o1777 if name == "/tmp" else 0o755))
        for source, dest in sorted(files, key=lambda item: item[1]):
            data = source.read_bytes()
            info = _info(dest, tarfile.REGTYPE, source.stat().st_mode & 0o777)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, target in sorted(links):
            info = _info(name, tarfile.SYMTYPE, 0o777)
            info.linkname = target
            tar.addfile(info)
    return out.getvalue()


def descriptor(media_type: str, data: bytes) -> dict[str, object]:
    return {
        "mediaType": media_type,
        "digest": "sha256:" + hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }


def image_layout(name: str, raw_layer: bytes, entrypoint: list[str], cmd: list[str]) -> bytes:
    """The image-layout tar (oci-layout, index.json, blobs) holding one image."""
    compressed = gzip.compress(raw_layer, mtime=0)
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {
                "Entrypoint": entrypoint or None,
                "Cmd": cmd or None,
                "Env": ["PATH=/bin:/sbin:/usr/bin:/usr/sbin"],
                "WorkingDir": "/",
            },
            "rootfs": {
                "type": "layers",
                "diff_ids": ["sha256:" + hashlib.sha256(raw_layer).hexdigest()],
            },
        },
        sort_keys=True,
    ).encode()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": f"{MEDIA}.manifest.v1+json",
            "config": descriptor(f"{MEDIA}.config.v1+json", config),
            "layers": [descriptor(f"{MEDIA}.layer.v1.tar+gzip", compressed)],
        },
        sort_keys=True,
    ).encode()
    tag = name.rsplit(":", 1)[1] if ":" in name.rsplit("/", 1)[-1] else "latest"
    index = json.dumps(
        {
            "schemaVersion": 2,
            "manifests": [
                {
                    **descriptor(f"{MEDIA}.manifest.v1+json", manifest),
                    "annotations": {
                        "io.containerd.image.name": name,
                        "org.opencontainers.image.ref.name": tag,
                    },
                }
            ],
        },
        sort_keys=True,
    ).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        entries = [("oci-layout", b'{"imageLayoutVersion": "1.0.0"}'), ("index.json", index)]
        entries += [
            (f"blobs/sha256/{hashlib.sha256(blob).hexdigest()}", blob)
            for blob in (config, manifest, compressed)
        ]
        for path, data in entries:
            info = _info(path, tarfile.REGTYPE, 0o644)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("name")
    parser.add_argument("--file", action="append", default=[], help="SRC:DEST")
    parser.add_argument("--link", action="append", default=[], help="NAME:TARGET")
    parser.add_argument("--dir", action="append", default=[])
    parser.add_argument("--entrypoint", nargs="*", default=[])
    parser.add_argument("--cmd", nargs="*", default=[])
    args = parser.parse_args()
    files = [(Path(src), dest) for src, dest in (spec.split(":", 1) for spec in args.file)]
    links = [(name, target) for name, target in (spec.split(":", 1) for spec in args.link)]
    raw = layer(files, links, args.dir)
    args.out.write_bytes(image_layout(args.name, raw, args.entrypoint, args.cmd))


if __name__ == "__main__":
    main()
