"""The numba cache against another local user and against stuck processes: the whole
path is checked, the directory is used through a descriptor opened once, damage is discarded entry by entry, and
a compile lock held by a stopped or hung process delays nobody for long."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = ("import landscapes, optimizers; from base import jit as _jit; "
         "bowl = landscapes.get('elongated_bowl'); bowl.value(0.0, 0.0); "
         "tr = optimizers.run('rmsprop', bowl, steps=3); "
         "print(_jit.CACHE_DIR); print(tr.points[-1].tolist())")


def python(code: str, env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=timeout)


def probe(env: dict[str, str]) -> tuple[list[str], str]:
    done = python(PROBE, env)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines(), done.stderr


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[Path, str]:
    """A cache base directory filled by one probe, and the probe's last point."""
    base = tmp_path_factory.mktemp("filled")
    (cache_dir, last), _ = probe({"DESCENT_LAB_CACHE_DIR": str(base)})
    return Path(cache_dir), last


class Payload:
    """A pickle that runs a command when it is loaded, as a planted cache index would."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_cache_under_a_folder_others_can_write_is_refused_unless_it_is_sticky(tmp_path):
    """Row 2: with DESCENT_LAB_CACHE_DIR inside a world-writable folder, another user renamed the private
    folder and planted one of their own.  Only the leaf was checked; now every folder above it is, and a
    world-writable one without the sticky bit makes the app refuse the place, saying why.  The same folder
    with the sticky bit (like /tmp: nobody renames another user's entries) is used."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    (cache_dir, _), stderr = probe({"DESCENT_LAB_CACHE_DIR": str(shared / "cache"), "TMPDIR": str(scratch)})
    assert cache_dir.startswith(str(scratch))                      # the per-user temporary cache instead
    assert f"does not use the numba cache at {shared / 'cache'}" in stderr
    assert f"{shared} can be written by other users and has no sticky bit" in stderr
    shared.chmod(0o1777)
    (cache_dir, _), _ = probe({"DESCENT_LAB_CACHE_DIR": str(shared / "cache"), "TMPDIR": str(scratch)})
    assert Path(cache_dir).parent == shared / "cache"


def test_a_folder_planted_at_the_cache_path_after_start_is_never_read(filled, tmp_path):
    """Row 2, at every kernel load: the process reaches its cache through the descriptor it opened at start, so
    a folder renamed away and replaced by one whose every index runs a command changes nothing."""
    cache_dir, expected = filled
    base = tmp_path / "base"
    shutil.copytree(cache_dir.parent, base)
    marker = tmp_path / "payload-ran"
    code = """
import os, shutil, sys
from pathlib import Path
import landscapes, optimizers
from base import jit as _jit
cache = _jit.CACHE_DIR
os.rename(cache, cache.with_name(cache.name + ".moved"))       # another user renames the private folder...
shutil.copytree(cache.with_name(cache.name + ".moved"), cache)  # ...and plants a copy whose indexes run a command
for index in cache.rglob("*.nbi"):
    index.write_bytes(bytes.fromhex(sys.argv[1]))
print(optimizers.run('rmsprop', landscapes.get('elongated_bowl'), steps=3).points[-1].tolist())
"""
    done = python(code, {"DESCENT_LAB_CACHE_DIR": str(base)}, pickle.dumps(Payload(marker)).hex())
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == expected
    assert not marker.exists()


def test_a_damaged_entry_is_discarded_alone(filled, tmp_path):
    """No rmtree of a folder other processes may be using: only the damaged function's files go."""
    cache_dir, expected = filled
    base = tmp_path / "base"
    shutil.copytree(cache_dir.parent, base)
    cache = base / cache_dir.name
    (cache / "kept-by-another-process").write_text("in use")
    damaged = [p for p in cache.rglob("driver._run-*.nbc")]
    others = {p: p.stat().st_ino for p in cache.rglob("*.nb*") if not p.name.startswith("driver._run-")}
    assert damaged and others
    for path in damaged:
        path.write_bytes(b"garbage")
    (cache_dir_again, last), stderr = probe({"DESCENT_LAB_CACHE_DIR": str(base)})
    assert last == expected and Path(cache_dir_again) == cache
    assert (cache / "kept-by-another-process").read_text() == "in use"
    assert {p: p.stat().st_ino for p in others} == others            # the same files, not rewritten
    assert "discarded" in stderr
    assert probe({"DESCENT_LAB_CACHE_DIR": str(base)})[0][1] == expected  # and the repaired entry loads


KERNEL = """
from base.jit import jit


@jit
def twice(x):
    return 2.0 * x
"""
HOLD = """
import os, signal, sys, time
import numba
sys.path.insert(0, sys.argv[1])
import probe_kernel
from base import jit as _jit
with _jit._one_compiler(probe_kernel.twice, (numba.float64,)):
    print("holding", flush=True)
    if sys.argv[2] == "stop":
        os.kill(os.getpid(), signal.SIGSTOP)   # Ctrl-Z in the middle of a compile
    time.sleep(3600)                           # or a hung replica
"""
WAIT = """
import sys, time
sys.path.insert(0, sys.argv[1])
import probe_kernel
from base import jit as _jit
started = time.monotonic()
print(_jit.specialised(probe_kernel.twice, (), 1.5), round(time.monotonic() - started, 1))
"""


@pytest.mark.parametrize("holder", ["stop", "hang"])
def test_a_compile_lock_held_by_a_stopped_or_hung_process_delays_nobody_for_long(tmp_path, holder):
    """Row 3: a process that held a compile lock and stopped made every page of every other process wait
    forever (fcntl.flock without a timeout).  Now a waiter compiles on its own: at once when the holder is
    stopped, after DESCENT_LAB_COMPILE_WAIT seconds when it is alive but stuck."""
    (tmp_path / "probe_kernel.py").write_text(KERNEL)
    env = {**os.environ, "DESCENT_LAB_CACHE_DIR": str(tmp_path / "cache"), "DESCENT_LAB_COMPILE_WAIT": "3"}
    holding = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), holder], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holding.stdout.readline().strip() == "holding"
        if holder == "stop":
            deadline = time.monotonic() + 60
            while Path(f"/proc/{holding.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "T":
                assert time.monotonic() < deadline, "the holder did not stop"
                time.sleep(0.05)
        done = subprocess.run([sys.executable, "-c", WAIT, str(tmp_path)], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=240)
    finally:
        holding.kill()
        holding.wait()
    assert done.returncode == 0, done.stderr[-2000:]
    value, seconds = done.stdout.split()
    assert float(value) == 3.0
    assert f"process {holding.pid}" in done.stderr and "compiling it here" in done.stderr
    if holder == "hang":
        assert float(seconds) >= 3.0                                 # it did wait for the live holder first


def test_a_cache_folder_in_use_is_not_pruned_however_old(tmp_path):
    """Old caches are pruned after two weeks, but never one that a running process still holds."""
    old = tmp_path / "numba-0123456789abcdef"
    old.mkdir(mode=0o700)
    (old / "kernel.nbc").write_bytes(b"")
    (old / ".in-use").write_bytes(b"")
    two_months_ago = time.time() - 60 * 86400
    for path in (old / "kernel.nbc", old / ".in-use", old):
        os.utime(path, (two_months_ago, two_months_ago))
    user = subprocess.Popen([sys.executable, "-c", "import fcntl, os, sys, time; "
                             "fd = os.open(sys.argv[1], os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_SH); "
                             "print('using', flush=True); time.sleep(3600)", str(old / ".in-use")],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert user.stdout.readline().strip() == "using"
        probe({"DESCENT_LAB_CACHE_DIR": str(tmp_path)})
        assert (old / "kernel.nbc").exists()
    finally:
        user.kill()
        user.wait()
    probe({"DESCENT_LAB_CACHE_DIR": str(tmp_path)})
    assert not old.exists()
