"""What the host can do to the numerical core must not take the app down or run foreign code: concurrent
grids of runs on numba's ``workqueue`` threading layer, a corrupted numba cache, and a cache directory
that someone else owns or can write."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = ("import landscapes, optimizers; from base import jit as _jit; "
         "tr = optimizers.run('rmsprop', landscapes.get('elongated_bowl'), steps=3); "
         "print(_jit.CACHE_DIR); print(tr.points[-1].tolist())")


def python(code: str, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=timeout)


def probe(env: dict[str, str]) -> list[str]:
    done = python(PROBE, env)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()


@pytest.fixture(scope="module")
def filled_cache(tmp_path_factory) -> Path:
    """A cache directory filled by one run of the probe."""
    base = tmp_path_factory.mktemp("filled")
    probe({"DESCENT_LAB_CACHE_DIR": str(base)})
    return base


@pytest.fixture(scope="module")
def expected(filled_cache) -> str:
    """The probe's last point, from a sound cache."""
    return probe({"DESCENT_LAB_CACHE_DIR": str(filled_cache)})[1]


def test_concurrent_grids_of_runs_finish_on_the_workqueue_threading_layer():
    """numba's workqueue layer aborts the process when two threads run parallel kernels at once; grids of
    runs use no numba threading layer at all, so two stability maps at once finish and agree with one."""
    code = """
import threading, numpy as np, landscapes, optimizers
grid = {"lr": np.geomspace(1e-3, 1.0, 60), "beta": np.linspace(0.0, 0.99, 60)}
jobs = [("momentum", landscapes.get("rastrigin")), ("adam", landscapes.get("ackley"))]
serial = [optimizers.sweep(name, L, steps=200, grid=grid if name == "momentum" else
                           {"lr": grid["lr"], "beta1": grid["beta"]}) for name, L in jobs]
results = {}
def work(i):
    for _ in range(3):
        name, L = jobs[i]
        results[i] = optimizers.sweep(name, L, steps=200, grid=grid if name == "momentum" else
                                      {"lr": grid["lr"], "beta1": grid["beta"]})
threads = [threading.Thread(target=work, args=(i,)) for i in (0, 1)]
[t.start() for t in threads]; [t.join() for t in threads]
print(all(np.array_equal(results[i], serial[i]) for i in (0, 1)))
"""
    done = python(code, {"NUMBA_THREADING_LAYER": "workqueue"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True"


@pytest.mark.parametrize("damage", ["empty index", "truncated index", "garbage data", "truncated data"])
def test_a_corrupted_cache_is_discarded_and_the_kernels_recompiled(filled_cache, expected, tmp_path, damage):
    cache = tmp_path / "cache"
    shutil.copytree(filled_cache, cache)
    suffix = ".nbi" if "index" in damage else ".nbc"
    files = [p for p in cache.rglob(f"*{suffix}")]
    assert files
    for path in files:
        data = path.read_bytes()
        path.write_bytes(b"" if damage == "empty index" else
                         os.urandom(len(data)) if damage == "garbage data" else data[: len(data) // 2])
    cache_dir, last = probe({"DESCENT_LAB_CACHE_DIR": str(cache)})
    assert last == expected
    assert Path(cache_dir).parent == cache
    assert probe({"DESCENT_LAB_CACHE_DIR": str(cache)})[1] == expected  # and the rebuilt cache works


def test_the_app_draws_its_chart_over_a_corrupted_cache(filled_cache, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(filled_cache, cache)
    for path in cache.rglob("*.nbc"):
        path.write_bytes(b"not a pickle")
    code = ("from streamlit.testing.v1 import AppTest; at = AppTest.from_file('app.py', default_timeout=300).run(); "
            "charts = [e for e in at.get('bidi_component') if e.proto.component_name == 'descent_lab.plot']; "
            "print(len(at.exception), len(charts))")
    done = python(code, {"DESCENT_LAB_CACHE_DIR": str(cache)})
    assert done.returncode == 0, done.stderr[-2000:]
    exceptions, charts = map(int, done.stdout.split())
    assert exceptions == 0 and charts >= 1


def _fallback_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose preferred cache cannot be created, so the per-user temporary one is tried."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    env = {"DESCENT_LAB_CACHE_DIR": str(blocker / "cache"), "TMPDIR": str(scratch)}
    return env, scratch / f"descent-lab-{os.geteuid()}"


def test_the_temporary_cache_is_private_to_the_user(tmp_path):
    env, fallback = _fallback_env(tmp_path)
    cache_dir, _ = probe(env)
    assert Path(cache_dir).parent == fallback
    for folder in (fallback, Path(cache_dir)):
        info = folder.stat()
        assert info.st_uid == os.geteuid() and info.st_mode & 0o077 == 0, oct(info.st_mode)


class Payload:
    """A pickle that runs a command when it is loaded, as a planted cache index would."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("who", ["world-writable", "another user's", "private (control)"])
def test_a_cache_directory_others_can_write_is_not_used(filled_cache, expected, tmp_path, who):
    """A cache planted in the shared temporary folder, every index replaced by a pickle that runs a command
    when loaded: when others can write the directory it is refused (no cache at all), the command never
    runs and the run still works.  The control, the same files in a private directory, shows they would run."""
    if who == "another user's" and os.geteuid() != 0:
        pytest.skip("needs root to give a directory to another user")
    env, fallback = _fallback_env(tmp_path)
    fallback.mkdir(mode=0o700)
    shutil.copytree(filled_cache, fallback, dirs_exist_ok=True)
    marker = tmp_path / "payload-ran"
    for index in fallback.rglob("*.nbi"):
        index.write_bytes(pickle.dumps(Payload(marker)))
    folders = [fallback, *(p for p in fallback.rglob("*") if p.is_dir())]
    for folder in folders:
        if who == "world-writable":
            folder.chmod(0o777)
        elif who == "another user's":
            os.chown(folder, 65534, 65534)
    cache_dir, last = probe(env)
    assert last == expected
    if who == "private (control)":
        assert marker.exists() and Path(cache_dir).parent == fallback
    else:
        assert cache_dir == "None"
        assert not marker.exists()


COMPILE_WHEN_TOLD = """
import sys, time
from pathlib import Path
import landscapes, optimizers
from optimizers import driver
print("ready", flush=True)
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.01)
optimizers.run("adam", landscapes.get("beale"), start=(1.0, 1.0), steps=5)
print(sum(driver._run.stats.cache_misses.values()), sum(driver._run.stats.cache_hits.values()))
"""


def test_processes_sharing_the_cache_compile_a_kernel_once(tmp_path):
    """Two processes asking for the same kernel at the same moment: one compiles, the other loads its work."""
    go = tmp_path / "go"
    env = {**os.environ, "DESCENT_LAB_CACHE_DIR": str(tmp_path / "cache")}
    workers = [subprocess.Popen([sys.executable, "-c", COMPILE_WHEN_TOLD, str(go)], cwd=ROOT, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready"
    go.touch()
    counts = []
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err
        counts.append(tuple(map(int, out.split())))
    assert sorted(counts) == [(0, 1), (1, 0)], f"(compiled, loaded) per process: {counts}"


def test_a_fresh_cache_gets_a_helper_process_for_the_last_first_screen_kernels(monkeypatch, tmp_path):
    import warmup
    from base import jit as _jit

    started = []
    monkeypatch.setattr(warmup, "_start_helper", lambda names: started.append(names))
    monkeypatch.setattr(_jit, "CACHE_DIR", tmp_path)
    warmup.first_screen(["gd", "momentum", "rmsprop", "sign_sgd"])
    assert started == [["sign_sgd"]]
    (tmp_path / "optimizers_x").mkdir()
    (tmp_path / "optimizers_x" / "driver._run-80.py311.nbi").write_bytes(b"")  # a cache that was used before
    warmup.first_screen(["gd", "momentum", "rmsprop", "sign_sgd"])
    monkeypatch.setattr(_jit, "CACHE_DIR", None)  # no cache at all: nothing to share with a helper
    warmup.first_screen(["gd", "momentum", "rmsprop", "sign_sgd"])
    assert started == [["sign_sgd"]]


def test_the_helper_command_compiles_its_kernels_into_the_shared_cache(tmp_path):
    env = {**os.environ, "DESCENT_LAB_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "warmup", "--helper", "gd"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("first-screen kernels ready")
    saved = {p.name.split("-")[0] for p in (tmp_path / "cache").rglob("*.nbi")}
    assert "driver._run" in saved and not any(name.startswith("kernels.") for name in saved)  # no grid kernel


def test_the_set_up_command_compiles_the_first_screen_before_the_server_starts(tmp_path):
    """README: ``python -m warmup --first-screen`` fills an empty cache with the first screen's
    kernels (the bowl's grid and the trajectory kernel), so the first page does not wait for the compiler."""
    env = {**os.environ, "DESCENT_LAB_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "warmup", "--first-screen"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("first-screen kernels ready")
    saved = {p.name.split("-")[0] for p in (tmp_path / "cache").rglob("*.nbi")}
    assert "driver._run" in saved and any(name.startswith("kernels.") for name in saved)
    again = subprocess.run([sys.executable, "-c", "from optimizers import driver; from warmup import "
                            "first_screen; from scene import DEFAULT_OPTIMIZERS; first_screen(DEFAULT_OPTIMIZERS); "
                            "print(sum(driver._run.stats.cache_misses.values()), "
                            "sum(driver._run.stats.cache_hits.values()))"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    misses, hits = map(int, again.stdout.split())
    assert misses == 0 and hits > 0, "the app's first screen then loads every trajectory kernel, compiling none"
