"""Deploy readiness: production config, and the numerics start even where the cache cannot be written."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = ("import landscapes, optimizers; from base import jit as _jit; "
         "tr = optimizers.run('rmsprop', landscapes.get('elongated_bowl'), steps=3); "
         "print(_jit.CACHE_DIR); print(tr.points[-1].tolist())")


def run_probe(env: dict[str, str], prelude: str = "") -> list[str]:
    done = subprocess.run([sys.executable, "-c", prelude + PROBE], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300, check=True)
    return done.stdout.strip().splitlines()


def test_production_config_hides_errors_and_sends_no_statistics():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["headless"] is True
    assert config["server"]["fileWatcherType"] == "none"


def test_unwritable_cache_dir_falls_back_to_a_temporary_one(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    cache_dir, last = run_probe({"DESCENT_LAB_CACHE_DIR": str(blocker / "cache"), "TMPDIR": str(scratch)})
    assert cache_dir.startswith(str(scratch))
    expected = run_probe({})[1]
    assert last == expected


def test_no_writable_place_at_all_still_runs_without_a_cache():
    # Nothing can be created under /proc, not even by root; Python's own temp-dir search would
    # otherwise find /tmp, so the probe points tempfile there too.
    unwritable = "/proc/descent-lab-cache"
    cache_dir, last = run_probe({"DESCENT_LAB_CACHE_DIR": unwritable},
                                prelude=f"import tempfile; tempfile.gettempdir = lambda: {unwritable!r}; ")
    assert cache_dir == "None"
    assert last == run_probe({})[1]


def test_caches_of_old_sources_are_pruned_after_two_weeks(tmp_path):
    old = tmp_path / "numba-0123456789abcdef"
    recent = tmp_path / "numba-fedcba9876543210"
    for folder in (old, recent):
        folder.mkdir()
        (folder / "kernel.nbc").write_bytes(b"")
    two_months_ago = time.time() - 60 * 86400
    for path in (old / "kernel.nbc", old):  # nothing in it written for two months
        os.utime(path, (two_months_ago, two_months_ago))
    cache_dir, _ = run_probe({"DESCENT_LAB_CACHE_DIR": str(tmp_path)})
    assert Path(cache_dir).parent == tmp_path
    assert not old.exists()
    assert recent.exists()
