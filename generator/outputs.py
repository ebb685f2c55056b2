"""Write build results into the output folder: each file whole, and the folder as it was if the build fails.

Each file is first written in full to a temporary file beside its target,
then renamed into place, so a reader always sees either the old file or the
new one, never a truncated one. The build puts each output in place as soon
as it is made (`Placement`): a viewer that reloads the student handout shows
a one-chapter edit while the deck is still being made. The files it replaces
are kept until the build ends, and put back if it fails or is stopped.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from generator import __version__
from generator.errors import LOGGER, AulaError

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


class Placement:
    """Outputs put in place one by one, all taken back unless the build ends well (`with`).

    A file replaced is kept meanwhile beside it (`.NAME.aula-previous`), as a
    second name of the same file (a hard link, else a copy), so putting it back
    restores it exactly: its bytes, and the time the build cache checks it by.
    Beside it, not in the cache folder: the output folder is the one a build
    must be able to write to.
    """

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = output_dir
        self.placed: list[tuple[Path, Path | None]] = []  # each file put in place, and the one it replaced

    def __enter__(self) -> Placement:
        # Left by a build that was killed: the files it had put in place were whole, and they stay.
        for folder, subfolders, names in os.walk(self.output_dir):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]  # the cache: no output there
            for name in names:
                if name.endswith(_PREVIOUS):
                    with contextlib.suppress(OSError):
                        os.unlink(os.path.join(folder, name))
        return self

    def place(self, relative: str, data: bytes) -> Path:
        """Put `data` in place at `relative` under the output folder, keeping the file it replaces; return its path."""
        path = self.output_dir / relative
        try:
            temporary, previous = _stage(path, data), None
            try:
                previous = _keep(path)
                os.replace(temporary, path)
            except OSError:
                temporary.unlink(missing_ok=True)
                if previous is not None:  # the file was not replaced: its second name is not needed
                    previous.unlink(missing_ok=True)
                raise
        except OSError as error:
            raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
        self.placed.append((path, previous))
        return path

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        for path, previous in reversed(self.placed):
            try:
                if kind is None:
                    if previous is not None:
                        previous.unlink()
                elif previous is None:
                    path.unlink(missing_ok=True)
                else:
                    os.replace(previous, path)
            except OSError as failure:
                if kind is not None:
                    LOGGER.error("cannot put back %s (%s): the last build's file is %s", path, failure.strerror, previous)


_PREVIOUS = ".aula-previous"


def _keep(path: Path) -> Path | None:
    """Give the file at `path`, if any, a second name beside it; return that name."""
    if not path.exists():
        return None
    previous = path.with_name(f".{path.name}{_PREVIOUS}")
    previous.unlink(missing_ok=True)
    try:
        os.link(path, previous)
    except OSError:  # a file system without hard links
        shutil.copy2(path, previous)
    return previous


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
