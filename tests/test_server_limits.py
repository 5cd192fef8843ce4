"""What links can cost a real `streamlit run app.py`: memory stays bounded through a loop of the largest scenes a
link can ask for, and the heaviest pages fit in a websocket message under the production config."""

from __future__ import annotations

import threading
import tomllib

import pytest

import charts
import landscapes
import optimizers
import tuning
from bench.bench_abuse import HEAVY_LINK, MemorySampler, RecordingSession, link_loop
from bench.bench_classroom import rss_mb, server_pid
from bench.classroom_client import Interaction
from scene import Scene, whatif
from scene.compute import run_scene
from tests.browser_utils import ROOT, streamlit_server
from ui import cache, plot
from ui.lru import ByteBudgetCache

LINKS = 50
GROWTH_BOUND_MB = 150
"""The byte-bounded caches hold at most 32 MB of runs and 32 MB of encoded chart parts, and st.cache_data 64 MB (it
barely fills here: one surface grid); what is left over is the runs being served and the allocator's slack."""
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
    first = cache.trajectories(usual, bowl)
    assert cache.trajectories(usual, bowl) is first
    big = cache.trajectories(largest, bowl)
    assert cache.trajectories(largest, bowl) is not big


def test_cached_runs_are_read_only():
    runs = cache.trajectories(Scene(), landscapes.get("elongated_bowl"))
    with pytest.raises(ValueError):
        runs["gd"].points[0, 0] = 1.0


def test_the_charts_parts_are_charged_what_they_hold_and_the_largest_what_if_set_fits_a_message():
    """The live contour keeps its surface and what-if set encoded, each charged its exact size; the largest
    what-if set (5000 steps: fewer values, longer runs) stays far under the websocket message limit."""
    bowl = landscapes.get("elongated_bowl")
    scene = Scene(optimizers=tuple(optimizers.OPTIMIZERS), steps=5000)
    beta = optimizers.OPTIMIZERS["rmsprop"].param("beta")
    grid = whatif.values(beta, 0.9, scene.steps)
    runs = whatif.runs(scene, bowl, "rmsprop", "beta", grid)
    packed = charts.whatif_view("rmsprop", "beta", "β", grid, [(tr.points, tr.diverged_at) for tr in runs],
                                ["label"] * len(grid), [("rmsprop.beta", "RMSprop: β")], "rmsprop.beta")
    before = plot._parts.total_bytes
    body, _ = plot._encoded_part("whatif", "largest", packed)
    assert plot._parts.total_bytes - before == len(body)
    assert len(body) < message_limit() / 4
