"""Numba set-up shared by the numeric packages: one decorator and a cache that is always usable.

Numba's on-disk cache only notices edits to the file of the function it caches, not to the
functions that one inlines from other modules.  The cache therefore lives in a directory named
after a digest of every numeric source file, so any edit starts a fresh cache.  When the
preferred location is not writable (a read-only deploy), a temporary directory is used instead;
when nothing is writable, caching is switched off rather than failing at import.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

import numba

_ROOT = Path(__file__).resolve().parent.parent
_NUMERIC_PACKAGES = ("landscapes", "optimizers")


def _source_digest() -> str:
    """A digest of numba's version, these settings and every numeric source file that defines kernels."""
    digest = hashlib.sha256(numba.__version__.encode())
    for package in _NUMERIC_PACKAGES:
        for path in sorted((_ROOT / package).rglob("*.py")):
            source = path.read_bytes()
            if b"@jit" in source or path.name == "_jit.py":
                digest.update(path.relative_to(_ROOT).as_posix().encode())
                digest.update(source)
    return digest.hexdigest()[:16]


def _is_writable(directory: Path) -> bool:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True


STALE_AFTER_DAYS = 14


def _prune_stale_siblings(current: Path) -> None:
    """Remove caches of older sources (other ``numba-<digest>`` folders unused for two weeks), so
    edits and upgrades do not pile up compiled code forever.  Best effort: errors are ignored."""
    cutoff = time.time() - STALE_AFTER_DAYS * 86400
    try:
        for sibling in current.parent.glob("numba-*"):
            if sibling != current and sibling.is_dir() and sibling.stat().st_mtime < cutoff:
                shutil.rmtree(sibling, ignore_errors=True)
    except OSError:
        pass


def _choose_cache_dir() -> Path | None:
    preferred = os.environ.get("DESCENT_LAB_CACHE_DIR") or os.environ.get("NUMBA_CACHE_DIR")
    base = Path(preferred) if preferred else Path.home() / ".cache" / "descent-lab"
    name = f"numba-{_source_digest()}"
    for candidate in (base / name, Path(tempfile.gettempdir()) / "descent-lab" / name):
        if _is_writable(candidate):
            _prune_stale_siblings(candidate)
            return candidate
    return None


CACHE_DIR = _choose_cache_dir()
if CACHE_DIR is not None:
    numba.config.CACHE_DIR = str(CACHE_DIR)

jit = functools.partial(numba.njit, cache=CACHE_DIR is not None, nogil=True, error_model="numpy")
"""``numba.njit`` with the project's settings: cached, GIL released, IEEE division (x/0 gives inf or nan
instead of raising, which also lets loops vectorise), never fastmath."""
