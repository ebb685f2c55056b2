"""Write build results into the output folder: every file or none, and `build.json`.

Each file is first written in full to a temporary file beside its target;
only when all of them are on disk are they renamed into place. A build that
fails half way (a full disk, a folder that is read-only or is a file) leaves
every previous output as it was, and a reader always sees either the old
file or the new one, never a truncated one.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from generator import __version__
from generator.errors import AulaError

MANIFEST = "build.json"


class OutputError(AulaError):
    """An output cannot be written: the folder is read-only, full, or not a folder."""


def check_writable(output_dir: Path) -> None:
    """Raise `OutputError` now, before any work, if files cannot be created in `output_dir`."""
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=output_dir, prefix=".aula-probe."):
            pass
    except OSError as error:
        raise OutputError(f"cannot write into {output_dir}: {error.strerror or error}") from None


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename."""
    os.replace(_stage(path, data), path)


def write_outputs(output_dir: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write every `relative path: bytes` pair under `output_dir`, all or none; return the paths written."""
    staged: list[tuple[Path, Path]] = []
    try:
        for relative, data in files.items():
            path = output_dir / relative
            staged.append((_stage(path, data), path))
    except OSError as error:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        for temporary, path in staged:
            os.replace(temporary, path)
    except OSError as error:  # rare once every file is staged: a rename within one folder
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    return [path for _, path in staged]


def _stage(path: Path, data: bytes) -> Path:
    """Write `data` to a new temporary file beside `path`, flushed to disk; return its path."""
    if path.is_dir():  # found now, not at the rename, when other outputs are already in place
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def manifest_bytes(fingerprint: str, lint_counts: Mapping[str, int], sha256s: Mapping[str, str], keys: Mapping[str, str],
                   images: Sequence[Mapping[str, object]] = ()) -> bytes:
    """Return `build.json`: every output with its sha256 and its inputs' hash, the lint counts, the images the course pulls."""
    manifest = {
        "aula": __version__,
        "inputs": hashlib.sha256(fingerprint.encode()).hexdigest(),
        "lint": dict(lint_counts),
        "images": [dict(image) for image in images],
        "outputs": [
            {"path": relative, "sha256": sha256s[relative], "inputs": keys[relative]}
            for relative in sorted(keys)
            if relative in sha256s
        ],
    }
    return (json.dumps(manifest, indent=2) + "\n").encode()
