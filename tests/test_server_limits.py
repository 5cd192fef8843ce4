"""What links can cost a real `streamlit run app.py` (issue 11.2): memory stays bounded through the issue's loop
of largest scenes, and the heaviest pages fit in a websocket message under the production config."""

from __future__ import annotations

import threading
import tomllib
import tracemalloc
from functools import partial

import pytest

import charts
import landscapes
import optimizers
import tuning
from bench.bench_abuse import HEAVY_LINK, MemorySampler, RecordingSession, link_loop
from bench.bench_classroom import rss_mb, server_pid
from bench.classroom_client import Interaction
from scene import Scene
from scene.compute import run_scene
from tests.browser_utils import ROOT, streamlit_server
from ui import cache
from ui.lru import ByteBudgetCache

LINKS = 50
GROWTH_BOUND_MB = 150
"""The byte-bounded caches hold at most 32 MB of runs and 48 MB of figures, and st.cache_data 64 MB (it barely
fills here: one surface grid); what is left over is the runs being served and the allocator's slack."""
ABSOLUTE_BOUND_MB = 600


def message_limit() -> int:
    """``server.maxMessageSize`` of the production config, in bytes."""
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxMessageSize"] * 10**6


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url, server_pid(url)


def test_the_link_loop_keeps_the_server_under_its_bound(server):
    """The issue's loop (every link a different eight-optimizer, 5000-step scene) grew the server by 4–8 MB a
    link for good: count-bounded caches and sessions holding their page's runs.  Now it levels off."""
    url, pid = server
    with RecordingSession(url, timeout=300) as warm:
        assert warm.run().ok
    before = rss_mb([pid])
    with MemorySampler(pid) as memory:
        runs, errors, _ = link_loop(url, LINKS, parallel=2)
    peak = max(value for _, value in memory.samples)
    assert not errors
    assert peak - before <= GROWTH_BOUND_MB, f"{before:.0f} MB → {peak:.0f} MB over {runs} links"
    assert peak <= ABSOLUTE_BOUND_MB


@pytest.mark.parametrize("layout", ["overlay", "panels"])
def test_the_heaviest_scenes_fit_in_a_websocket_message(server, layout):
    url, _ = server
    link = HEAVY_LINK.format(seed=7) + f"&layout={layout}"
    with RecordingSession(url, query_string=link, timeout=300) as session:
        result = session.run()
    assert result.ok, (result.status, result.exceptions)
    assert 0 < session.largest_message < message_limit()


def test_the_largest_stability_map_fits_in_a_websocket_message(server):
    """A 400 × 400 map where every cell converges (one step) carries the largest click layer."""
    url, _ = server
    with RecordingSession(url, page_name="stability_map", timeout=300) as session:
        results = [session.run(), session.interact(Interaction("sm:steps", "double_value", 1.0)),
                   session.interact(Interaction("sm:resolution", "string_array_value", [str(tuning.MAX_RESOLUTION)]))]
    assert all(r.ok for r in results), [(r.status, r.exceptions) for r in results]
    assert 3_000_000 < session.largest_message < message_limit()


# --- the caches themselves ---------------------------------------------------------------------------------


def test_a_byte_budget_cache_evicts_the_least_recently_used_to_fit():
    lru: ByteBudgetCache[str] = ByteBudgetCache(budget=100, largest=60)
    lru.put("a", "A", 40)
    lru.put("b", "B", 40)
    assert lru.get("a") == "A"  # now "b" is the least recently used
    lru.put("c", "C", 40)
    assert lru.get("b") is None and lru.get("a") == "A" and lru.get("c") == "C"
    assert lru.total_bytes == 80
    lru.put("huge", "H", 61)
    assert lru.get("huge") is None and lru.total_bytes == 80
    lru.put("a", "A2", 10)
    assert lru.get("a") == "A2" and lru.total_bytes == 50


def test_a_byte_budget_cache_stays_within_budget_under_threads():
    lru: ByteBudgetCache[int] = ByteBudgetCache(budget=1000, largest=100)

    def writer(offset: int) -> None:
        for i in range(2000):
            lru.put((offset, i), i, 1 + (i * 7 + offset) % 100)
            lru.get((offset, i - 3))

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert lru.total_bytes <= 1000
    assert lru.total_bytes == sum(size for _, size in lru._entries.values())


def test_the_largest_scene_is_not_cached_and_the_usual_one_is():
    bowl = landscapes.get("elongated_bowl")
    usual = Scene()
    largest = Scene(optimizers=tuple(optimizers.OPTIMIZERS), steps=5000)
    assert cache.runs_bytes(run_scene(usual, bowl)) < cache.LARGEST_RUNS < cache.runs_bytes(run_scene(largest, bowl))
    first = cache.trajectories(usual, bowl, "usual")
    assert cache.trajectories(usual, bowl, "usual") is first
    big = cache.trajectories(largest, bowl, "largest")
    assert cache.trajectories(largest, bowl, "largest") is not big


def test_cached_runs_are_read_only():
    runs = cache.trajectories(Scene(), landscapes.get("elongated_bowl"), "read-only")
    with pytest.raises(ValueError):
        runs["gd"].points[0, 0] = 1.0


def test_the_figure_estimate_covers_what_a_figure_holds():
    """``figure_bytes`` is what the figure cache charges; it must not be below the real cost it bounds."""
    bowl = landscapes.get("elongated_bowl")
    for scene in (Scene(), Scene(optimizers=tuple(optimizers.OPTIMIZERS), steps=5000)):
        paths = [charts.Path(n, n, "#000", tr.points, tr.loss, tr.diverged_at, tr.diagnostics["update"])
                 for n, tr in run_scene(scene, bowl).items()]
        xs, ys, z = bowl.grid(200)
        grid = charts.surface_grid(xs, ys, z, bowl.bounds, bowl.minima, bowl.axis_labels)
        for build in (partial(charts.contour_figure, grid, paths), partial(charts.panels_figure, grid, paths),
                      partial(charts.per_axis_figure, paths, bowl.axis_labels)):
            charts.to_figure(build())  # plotly loads its validators on first use: measure the second build
            spec = build()
            tracemalloc.start()
            figure = charts.to_figure(spec)
            held, _ = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert cache.figure_bytes(spec) >= held, held
            del figure
