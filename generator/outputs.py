"""Write build results into the output folder, atomically.

Every file is written to a temporary file beside its target and renamed into
place, so an interrupted build never leaves a truncated file and a reader
always sees either the old output or the new one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from generator.errors import AulaError


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_outputs(output_dir: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write every `relative path: bytes` pair under `output_dir`; return the paths written."""
    written = []
    try:
        for relative, data in files.items():
            path = output_dir / relative
            write_atomic(path, data)
            written.append(path)
    except OSError as error:
        raise AulaError(f"cannot write {error.filename or output_dir}: {error.strerror}") from None
    return written
