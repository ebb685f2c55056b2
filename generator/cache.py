"""What the last build made from what: the incremental-build cache.

Each output is recorded with a key, the hash of everything it was made from
(its input files, the theme, `course.yml`, Aula's version and the options),
and the size and modification time it was written with. An output whose key
is unchanged and whose file is still the one we wrote is not rendered again.

A second record, the fingerprint of the whole course folder and theme, lets a
build with nothing changed stop before parsing anything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path

from generator.errors import warn
from generator.outputs import write_atomic
from generator.reporting import Report

CACHE_DIR = ".aula-cache"
_STATE_FILE = "state.json"


def cache_unwritable(folder: Path, error: OSError) -> None:
    """Warn that the cache cannot be written: the build goes on without it, only slower next time."""
    root = next((path for path in (folder, *folder.parents) if path.name == CACHE_DIR), folder)
    warn(None, "W-cache", f"cannot write the build cache in {root} ({error.strerror or error}): building without it")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def package_version(package: str) -> str:
    """Return an installed package's version, for the keys of what it made: read from its metadata once a process."""
    return version(package)


def portable_name(path: Path, roots: Sequence[Path]) -> str:
    """Return how a cache key names `path`: relative to the first of `roots` (resolved) that holds it.

    So a key is the same however the course path is spelled (relative or absolute)
    and wherever the course folder lives: moving the folder keeps its cache.
    """
    resolved = path.resolve()
    for index, root in enumerate(roots):
        if resolved.is_relative_to(root):
            return f"{index}:{resolved.relative_to(root).as_posix()}"
    return resolved.as_posix()


@dataclass
class FileHashes:
    """Hashes file contents, each file once per build; names files relative to `roots` (see `portable_name`)."""

    roots: tuple[Path, ...] = ()
    _known: dict[Path, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.roots = tuple(root.resolve() for root in self.roots)

    def of(self, path: Path) -> str:
        if path not in self._known:
            try:
                self._known[path] = sha256_bytes(path.read_bytes())
            except OSError:
                self._known[path] = "missing"
        return self._known[path]

    def of_all(self, paths: Iterable[Path]) -> str:
        digest = hashlib.sha256()
        for name, path in sorted((portable_name(path, self.roots), path) for path in set(paths)):
            digest.update(f"{name}\0{self.of(path)}\n".encode())
        return digest.hexdigest()


def folder_files(folder: Path, skip: Path | None = None) -> list[Path]:
    """Return the files under `folder` that a build may read (hidden ones and `skip` left out)."""
    files = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative):
            continue
        if skip is not None and (path == skip or skip in path.parents):
            continue
        if path.is_file():
            files.append(path)
    return files


@dataclass
class BuildCache:
    """The cache folder's state: outputs by relative path, and the last whole-course fingerprint."""

    output_dir: Path
    outputs: dict[str, dict] = field(default_factory=dict)
    fingerprint: str = ""
    reports: list[Report] = field(default_factory=list)  # the last build's findings, repeated on a no-op build

    @property
    def path(self) -> Path:
        return self.output_dir / CACHE_DIR / _STATE_FILE

    @classmethod
    def load(cls, output_dir: Path) -> BuildCache:
        cache = cls(output_dir)
        try:
            state = json.loads(cache.path.read_text(encoding="utf-8"))
            cache.outputs = dict(state["outputs"])
            cache.fingerprint = str(state["fingerprint"])
            cache.reports = [(int(level), str(message)) for level, message in state["reports"]]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no cache, or one we cannot read: build everything
        return cache

    def _stamp(self, relative: str) -> list[int] | None:
        try:
            stat = (self.output_dir / relative).stat()
        except OSError:
            return None
        return [stat.st_size, stat.st_mtime_ns]

    def is_fresh(self, relative: str, key: str) -> bool:
        """Return whether `relative` was made from `key` and is still the file we wrote."""
        entry = self.outputs.get(relative)
        return entry is not None and entry["key"] == key and entry["stamp"] == self._stamp(relative)

    def holds(self, relative: str, sha256: str) -> bool:
        """Return whether `relative` is still the file we wrote, and its bytes have this sha256."""
        entry = self.outputs.get(relative)
        return entry is not None and entry["sha256"] == sha256 and entry["stamp"] == self._stamp(relative)

    def all_fresh(self, fingerprint: str, relatives: Iterable[str]) -> bool:
        """Return whether nothing changed since the last build of these outputs."""
        relatives = list(relatives)
        return (
            fingerprint == self.fingerprint
            and bool(relatives)
            and all(r in self.outputs and self.outputs[r]["stamp"] == self._stamp(r) for r in relatives)
        )

    def record(self, relative: str, key: str, sha256: str) -> None:
        self.outputs[relative] = {"key": key, "sha256": sha256, "stamp": self._stamp(relative)}

    def save(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        state = {"fingerprint": fingerprint, "outputs": dict(sorted(self.outputs.items())), "reports": self.reports}
        try:
            write_atomic(self.path, json.dumps(state, indent=1).encode())
        except OSError as error:
            cache_unwritable(self.path.parent, error)
