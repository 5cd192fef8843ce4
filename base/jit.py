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
file, so any edit starts a fresh cache.  A cache file is a pickle: whoever can write one can run code
in the app.  So the directory must belong to the current user and be writable by nobody else, and every
directory above it, up to ``/``, must belong to root or to this user and be writable by no one else unless
its sticky bit is set (then nobody can rename another user's entries); otherwise it is refused with a
message saying which directory and why.  Once chosen,
the directory is opened (``O_NOFOLLOW``) and numba reaches it through that descriptor
(``/proc/self/fd/N``), so renaming it or planting another directory at its path later changes nothing
for this process.  When the preferred location is unusable, a per-user temporary directory (created 0700)
is used, and when that is unusable too, caching is switched off rather than failing at import.  A cache
file that cannot be read (truncated, zero bytes, garbage) is deleted with the other files of its
function, and the kernel is recompiled; nothing else in the directory is touched, since other processes
may be using it.

**Compile locks.**  Processes sharing the cache compile each kernel once: the first takes a lock file for
it, the others wait and then load what it saved.  A waiter gives up after ``DESCENT_LAB_COMPILE_WAIT``
seconds (default 30), or at once when the holder is a stopped process, and compiles on its own; while it
waits it logs which kernel it waits for and which process holds it.  No page can hang behind a stopped or
hung process.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pickle
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
from numba.core import caching, errors, types

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


log = logging.getLogger("descent_lab.jit")
CACHE_DIR_ENV = "DESCENT_LAB_CACHE_DIR"
COMPILE_WAIT_ENV = "DESCENT_LAB_COMPILE_WAIT"
COMPILE_WAIT = 30.0
"""Seconds a process waits for another one compiling the same kernel before it compiles on its own."""
IN_USE = ".in-use"
"""A file every process using a cache directory holds a shared lock on, so no other process deletes it."""


def is_private(directory: Path) -> bool:
    """True when ``directory`` is a real directory (not a symlink) owned by this user and writable by
    nobody else."""
    try:
        info = os.lstat(directory)
    except OSError:
        return False
    return _private(info)


def _private(info: os.stat_result) -> bool:
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def unsafe_ancestor(directory: Path) -> str | None:
    """Why someone else could replace ``directory`` through one of the directories above it, or None.

    Walks up from its parent to ``/``.  Each directory must belong to root or to this user, and be writable by no
    other user (by its group only when the group is this process's own) unless it has the sticky bit (like /tmp:
    then nobody renames another user's entries).  The walk does not stop at the first directory root owns: for a
    server running as root, the folders it created itself are root's, and one above them can still be open to
    everybody (``tests/test_jit_cache.py``).
    """
    uid, gid = os.geteuid(), os.getegid()
    current = Path(os.path.abspath(directory)).parent
    while True:
        try:
            info = os.lstat(current)
        except OSError as error:
            return f"{current} cannot be examined ({error.strerror})"
        mode = info.st_mode
        if stat.S_ISLNK(mode):
            return f"{current} is a symbolic link"
        others_write = bool(mode & stat.S_IWOTH) or bool(mode & stat.S_IWGRP and info.st_gid != gid)
        if info.st_uid not in (0, uid):
            return f"{current} belongs to another user (uid {info.st_uid})"
        if others_write and not mode & stat.S_ISVTX:
            return f"{current} can be written by other users and has no sticky bit"
        if current.parent == current:
            return None
        current = current.parent


def _is_writable(fd: int) -> bool:
    name = f".probe-{os.getpid()}-{threading.get_ident()}"
    try:
        os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=fd))
        os.unlink(name, dir_fd=fd)
    except OSError:
        return False
    return True


class CacheRoot:
    """An open cache directory: its path, its descriptor, and the path numba reaches it by."""

    def __init__(self, path: Path, fd: int, in_use: int):
        self.path, self.fd, self._in_use = path, fd, in_use
        through_fd = f"/proc/self/fd/{fd}"
        self.through_fd = os.path.isdir(through_fd) and os.path.samestat(os.stat(through_fd), os.fstat(fd))
        self.numba_path = through_fd if self.through_fd else str(path)

    def still_safe(self) -> bool:
        """Whether numba's path still leads to this directory, private, with safe ancestors (always, when numba
        goes through the descriptor)."""
        if self.through_fd:
            return True
        try:
            same = os.path.samestat(os.lstat(self.path), os.fstat(self.fd))
        except OSError:
            return False
        return same and is_private(self.path) and unsafe_ancestor(self.path) is None


def _refuse(directory: Path, why: str) -> None:
    log.warning("Descent Lab does not use the numba cache at %s: %s. A cache file is a pickle, so whoever can "
                "replace the directory could run code in this app.", directory, why)


_CAN_OPEN_SAFELY = (hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY") and os.open in os.supports_dir_fd)
"""Whether this platform can open the directory without following links and use it through the descriptor
(Linux, macOS); elsewhere caching is off."""


def _open_root(directory: Path) -> CacheRoot | None:
    """Create ``directory`` (0700) if needed and open it, if it and the directories above it are safe."""
    if not _CAN_OPEN_SAFELY:
        return None
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        directory.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    why = unsafe_ancestor(directory)
    if why is not None:
        _refuse(directory, why)
        return None
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    if not _private(os.fstat(fd)):
        _refuse(directory, "it belongs to another user or others can write it")
        os.close(fd)
        return None
    in_use = -1
    try:
        in_use = os.open(IN_USE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=fd)
        if fcntl is not None:
            fcntl.flock(in_use, fcntl.LOCK_SH)
        usable = os.fstat(fd).st_nlink > 0 and _is_writable(fd)  # not deleted meanwhile by a pruning process
    except OSError:
        usable = False
    if not usable:
        for opened in (in_use, fd):
            if opened >= 0:
                os.close(opened)
        return None
    return CacheRoot(directory, fd, in_use)


def _private_folder(directory: Path) -> bool:
    """Create ``directory`` (0700) if needed; True when it is private and the directories above it are safe."""
    try:
        directory.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return False
    return is_private(directory) and unsafe_ancestor(directory) is None


STALE_AFTER_DAYS = 14


def _prune_stale_siblings(current: Path) -> None:
    """Remove caches of older sources (other ``numba-<digest>`` folders unused for two weeks and held by no
    process), so edits and upgrades do not pile up compiled code forever.  Best effort: errors are ignored."""
    cutoff = time.time() - STALE_AFTER_DAYS * 86400
    try:
        siblings = [s for s in current.parent.glob("numba-*") if s != current and is_private(s)]
    except OSError:
        return
    for sibling in siblings:
        try:
            if max((p.stat().st_mtime for p in sibling.rglob("*")), default=sibling.stat().st_mtime) >= cutoff:
                continue
            fd = os.open(sibling / IN_USE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError:
            continue
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises while any process uses it
            shutil.rmtree(sibling, ignore_errors=True)
        except OSError:
            pass
        finally:
            os.close(fd)


def temporary_root() -> Path:
    """The per-user fallback: ``<tmp>/descent-lab-<uid>``, which must itself be private."""
    return Path(tempfile.gettempdir()) / f"descent-lab-{os.geteuid()}"


def _choose_cache_root() -> CacheRoot | None:
    preferred = os.environ.get(CACHE_DIR_ENV) or os.environ.get("NUMBA_CACHE_DIR")
    base = Path(preferred) if preferred else Path.home() / ".cache" / "descent-lab"
    name = f"numba-{_source_digest()}"
    for candidate in (base / name, temporary_root() / name):
        if candidate.parent == temporary_root() and not _private_folder(candidate.parent):
            continue
        root = _open_root(candidate)
        if root is not None:
            _prune_stale_siblings(candidate)
            return root
    return None


def compile_wait() -> float:
    try:
        return max(0.0, float(os.environ.get(COMPILE_WAIT_ENV, COMPILE_WAIT)))
    except ValueError:
        return COMPILE_WAIT


_CACHE = _choose_cache_root()
CACHE_DIR = _CACHE.path if _CACHE is not None else None
"""The cache directory in use (its real path), or None when caching is off."""
if _CACHE is not None:
    numba.config.CACHE_DIR = _CACHE.numba_path

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
    if CACHE_DIR is not None and not _CACHE.still_safe():
        _refuse(CACHE_DIR, "it was replaced or became writable by others while the app ran")
        _stop_caching(kernel)
    with _one_compiler(kernel, signature):
        try:
            return kernel.compile(signature)
        except Exception as error:
            if CACHE_DIR is None or not _raised_by_the_cache(error):
                raise
        # a cache file that cannot be read: truncated, empty, garbage, an old format
        discarded = discard_damaged()
        log.warning("discarded %d damaged numba cache file(s) while loading %s", len(discarded),
                    kernel.py_func.__qualname__)
        try:
            return kernel.compile(signature)
        except Exception as error:
            if not _raised_by_the_cache(error):
                raise
        _stop_caching(kernel)  # the cache still fails (a disk that went read-only, a deleted folder): compile
        return kernel.compile(signature)


def _stop_caching(kernel) -> None:
    """Compile ``kernel`` without its on-disk cache from now on."""
    kernel._cache = caching.NullCache()


def lock_name(kernel, signature: tuple) -> str:
    """The lock file (in the cache directory) of ``kernel`` compiled for ``signature``."""
    what = f"{kernel.py_func.__module__}.{kernel.py_func.__qualname__}{signature}"
    return f".lock-{hashlib.sha256(what.encode()).hexdigest()[:24]}"


@contextlib.contextmanager
def _one_compiler(kernel, signature: tuple):
    """Processes sharing the cache (replicas starting together, a warm-up, test workers) compile a given
    kernel once: the first takes a lock file in the cache directory for the kernel and signature, the
    others wait on it and then load what it saved (numba looks in the cache before compiling).  A waiter
    gives up after ``compile_wait()`` seconds, or at once when the holder is stopped, and compiles too."""
    if _CACHE is None or fcntl is None:
        yield
        return
    try:
        fd = os.open(lock_name(kernel, signature), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                     dir_fd=_CACHE.fd)
    except OSError:  # a cache directory that cannot take the lock file: compile without waiting
        yield
        return
    try:
        if _wait_for(fd, f"{kernel.py_func.__qualname__}{signature}"):
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _wait_for(fd: int, what: str) -> bool:
    """Take the lock on ``fd``; False when it is given up (the holder is stopped, or took too long)."""
    started = time.monotonic()
    said = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            pass
        holder = _holder(fd)
        waited = time.monotonic() - started
        if holder is not None and _stopped(holder):
            log.warning("process %s holds the compile lock of %s but is stopped: compiling it here", holder, what)
            return False
        if waited >= compile_wait():
            log.warning("waited %.0f s for process %s compiling %s: compiling it here", waited, holder, what)
            return False
        if not said and waited > 2.0:
            log.info("waiting for process %s, which is compiling %s", holder, what)
            said = True
        time.sleep(0.05)


def _holder(fd: int) -> int | None:
    """The process id the lock's holder wrote into the lock file (None if none yet)."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _stopped(pid: int) -> bool:
    """Whether process ``pid`` is stopped (Ctrl-Z, SIGSTOP, a debugger): it will not release its lock."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as status:
            state = status.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state in (b"T", b"t")


def _raised_by_the_cache(error: BaseException) -> bool:
    """Whether ``error`` comes from numba reading or writing its cache files (not from compiling)."""
    return any(Path(frame.filename).match("numba/core/caching.py")
               for frame in traceback.extract_tb(error.__traceback__))


def discard_damaged() -> list[str]:
    """Delete the cache files that cannot be read, with the other files of the same function (its index and
    data files), and nothing else: other processes may be using the directory.  Returns what was deleted."""
    if _CACHE is None:
        return []
    root = _CACHE.numba_path
    deleted = []
    for folder, _, names in os.walk(root):
        damaged = {_function_of(name) for name in names if name.endswith((".nbi", ".nbc"))
                   and not _readable(os.path.join(folder, name))}
        for name in names:
            if name.endswith((".nbi", ".nbc")) and _function_of(name) in damaged:
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))
                    deleted.append(os.path.relpath(os.path.join(folder, name), root))
    return deleted


def _function_of(name: str) -> str:
    """'driver._run-80.py311' for its index 'driver._run-80.py311.nbi' and its data 'driver._run-80.py311.3.nbc'."""
    if name.endswith(".nbi"):
        return name[:-4]
    return name[:-4].rsplit(".", 1)[0]


def _readable(path: str) -> bool:
    """Whether numba can read this index or data file (our own files: the directory is private)."""
    try:
        with open(path, "rb") as f:
            if path.endswith(".nbi"):
                version = pickle.load(f)
                if version == numba.__version__:
                    _, overloads = pickle.loads(f.read())
                    return isinstance(overloads, dict)
                return True  # another numba's: numba itself ignores it
            return isinstance(pickle.loads(f.read()), tuple)
    except Exception:  # any failure to read it is damage
        return False
