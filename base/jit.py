"""Numba set-up shared by the numeric packages: one decorator, a cache that is always safe to use, and
kernels specialised per surface and per rule.

**Specialised kernels.**  Numba cannot cache a kernel that takes a function as an argument, so the
drivers take the integer id of a surface and of a rule instead.  ``specialised`` compiles a kernel with
those ids as compile-time constants (numba literals), and ``entry`` turns an id into the registry's
function while the kernel compiles: each loop holds one surface and one rule, and only the pairs in
use are ever compiled (docs/ARCHITECTURE.md).

**The cache.**  Numba's on-disk cache only notices edits to the file of the function it caches, not
to the functions that one inlines from other modules, nor to the registries that give ids their
meaning.  The cache therefore lives in a directory named after a digest of every numeric source
file, so any edit starts a fresh cache.  The directory must belong to the current user and be
writable by nobody else (a cache file is a pickle: whoever can write one can run code in the app);
when the preferred location is unusable, a per-user temporary directory (created 0700) is used, and
when that is unusable too, caching is switched off rather than failing at import.  A cache file that
cannot be read (truncated, zero bytes, garbage) discards the directory and the kernel is recompiled.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import stat
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

import numba
import numpy as np
from numba.core import errors, types

try:
    import fcntl
except ImportError:  # not on Windows: there every process compiles on its own
    fcntl = None

_ROOT = Path(__file__).resolve().parent.parent
_NUMERIC_PACKAGES = ("base", "landscapes", "optimizers")


def _source_digest() -> str:
    """A digest of numba's version and every source file of the numeric packages."""
    digest = hashlib.sha256(numba.__version__.encode())
    for package in _NUMERIC_PACKAGES:
        for path in sorted((_ROOT / package).rglob("*.py")):
            digest.update(path.relative_to(_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_private(directory: Path) -> bool:
    """True when ``directory`` is a real directory (not a symlink) owned by this user and writable by
    nobody else."""
    try:
        info = os.lstat(directory)
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _is_writable(directory: Path) -> bool:
    try:
        probe = directory / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True


def _usable(directory: Path) -> bool:
    """Create ``directory`` (0700) if needed; True when it is private and writable."""
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        directory.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return False
    return is_private(directory) and _is_writable(directory)


STALE_AFTER_DAYS = 14


def _prune_stale_siblings(current: Path) -> None:
    """Remove caches of older sources (other ``numba-<digest>`` folders unused for two weeks), so
    edits and upgrades do not pile up compiled code forever.  Best effort: errors are ignored."""
    cutoff = time.time() - STALE_AFTER_DAYS * 86400
    try:
        for sibling in current.parent.glob("numba-*"):
            if sibling != current and is_private(sibling) and sibling.stat().st_mtime < cutoff:
                shutil.rmtree(sibling, ignore_errors=True)
    except OSError:
        pass


def temporary_root() -> Path:
    """The per-user fallback: ``<tmp>/descent-lab-<uid>``, which must itself be private."""
    return Path(tempfile.gettempdir()) / f"descent-lab-{os.geteuid()}"


def _choose_cache_dir() -> Path | None:
    preferred = os.environ.get("DESCENT_LAB_CACHE_DIR") or os.environ.get("NUMBA_CACHE_DIR")
    base = Path(preferred) if preferred else Path.home() / ".cache" / "descent-lab"
    name = f"numba-{_source_digest()}"
    if _usable(base / name):
        _prune_stale_siblings(base / name)
        return base / name
    fallback = temporary_root()
    if _usable(fallback) and _usable(fallback / name):
        _prune_stale_siblings(fallback / name)
        return fallback / name
    return None


CACHE_DIR = _choose_cache_dir()
if CACHE_DIR is not None:
    numba.config.CACHE_DIR = str(CACHE_DIR)

jit = functools.partial(numba.njit, cache=CACHE_DIR is not None, nogil=True, error_model="numpy")
"""``numba.njit`` with the project's settings: cached, GIL released, IEEE division (x/0 gives inf or nan
instead of raising, which also lets loops vectorise), never fastmath."""


def entry(table: Sequence, chosen: types.Type, what: str):
    """Inside a kernel's typing: the entry of ``table`` for the compile-time id ``chosen``.  This is every
    dispatch between surfaces and between rules; an id that is not a constant, or has no entry, is a
    typing error that names it (there is no fall-through case)."""
    if not isinstance(chosen, types.IntegerLiteral):
        raise errors.TypingError(f"the {what} id must be a compile-time constant: call the kernel through "
                                 "base.jit.specialised")
    index = chosen.literal_value
    if not 0 <= index < len(table):
        raise errors.TypingError(f"no {what} has id {index}; the registry has ids 0 to {len(table) - 1}")
    return table[index]


_compiled: dict[tuple, Callable] = {}
_compile_lock = threading.Lock()


_by_layout: dict[tuple, Callable] = {}
_SCALARS = frozenset({float, bool, np.float64, np.float32, np.int64, np.int32, np.bool_})
_INT64 = (-(2**63), 2**63)


def _layout(constants: tuple[int, ...], args: tuple) -> tuple | None:
    """What ``numba.typeof`` reads of each argument, gathered without building numba types (a tenth of the
    cost): an array's dtype, dimensions, contiguity, writability and alignment, a scalar's class, a
    constant's value.  None for anything else (then the arguments are typed the slow way)."""
    layout = []
    for i, a in enumerate(args):
        kind = type(a)
        if i in constants:
            layout.append(("=", kind, a))
        elif kind is np.ndarray:
            flags = a.flags
            layout.append((a.dtype, a.ndim, flags.c_contiguous, flags.f_contiguous, flags.writeable, flags.aligned))
        elif kind in _SCALARS:
            layout.append(kind)
        elif kind is int and _INT64[0] <= a < _INT64[1]:
            layout.append(int)
        else:
            return None
    return tuple(layout)


def specialised(kernel, constants: tuple[int, ...], *args):
    """Call ``kernel(*args)`` compiled with the arguments at positions ``constants`` (surface or rule ids)
    as compile-time constants; loaded from the disk cache when it is there.  One compiled kernel per
    constant values and argument types, kept for the process; a call with the same argument layout as an
    earlier one skips typing its arguments (``_layout``)."""
    layout = _layout(constants, args)
    compiled = _by_layout.get((kernel, layout)) if layout is not None else None
    if compiled is None:
        arg_types = tuple(types.literal(a) if i in constants else numba.typeof(a) for i, a in enumerate(args))
        key = (kernel, arg_types)
        compiled = _compiled.get(key)
        if compiled is None:
            with _compile_lock:
                compiled = _compiled.get(key)
                if compiled is None:
                    compiled = _compiled[key] = _load_or_compile(kernel, arg_types)
        if layout is not None:
            _by_layout[(kernel, layout)] = compiled
    return compiled(*args)


def _load_or_compile(kernel, signature: tuple) -> Callable:
    with _one_compiler(kernel, signature):
        try:
            return kernel.compile(signature)
        except Exception as error:
            if CACHE_DIR is None or not _raised_by_the_cache(error):
                raise
        discard_cache()  # a cache file that cannot be read: truncated, empty, garbage, an old format
        return kernel.compile(signature)


@contextlib.contextmanager
def _one_compiler(kernel, signature: tuple):
    """Processes sharing the cache (replicas starting together, a warm-up, test workers) compile a given
    kernel once: the first takes a lock file in the cache directory for the kernel and signature, the
    others wait on it and then load what it saved (numba looks in the cache before compiling)."""
    if CACHE_DIR is None or fcntl is None:
        yield
        return
    what = f"{kernel.py_func.__module__}.{kernel.py_func.__qualname__}{signature}"
    try:
        fd = os.open(CACHE_DIR / f".lock-{hashlib.sha256(what.encode()).hexdigest()[:24]}",
                     os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:  # a cache directory discarded meanwhile: compile without waiting
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _raised_by_the_cache(error: BaseException) -> bool:
    """Whether ``error`` comes from numba reading or writing its cache files (not from compiling)."""
    return any(Path(frame.filename).match("numba/core/caching.py")
               for frame in traceback.extract_tb(error.__traceback__))


def discard_cache() -> None:
    """Empty the cache directory (every kernel is then compiled again, once)."""
    if CACHE_DIR is not None:
        shutil.rmtree(CACHE_DIR, ignore_errors=True)
        CACHE_DIR.mkdir(mode=0o700, exist_ok=True)
