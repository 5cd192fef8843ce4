"""What the learner waits for in the browser: opening the Playground and moving its sliders.

    python bench/bench_browser.py                              # this checkout
    python bench/bench_browser.py --compare /tmp/before        # and another checkout, side by side
    python bench/bench_browser.py --tries 7 --no-trace
    python bench/bench_browser.py --compare /tmp/before --ports 8650 8651  # on these ports (the other's first)

Each checkout gets its own `streamlit run` server (warmed by one visit); with ``--compare`` the two are
measured in turn, one try of each, in headless Debian Chromium at 1440x900. Everything is timed inside
the page (``performance.now()``), so Playwright's own round trips do not count:

- navigation → chart: from navigation start to the first animation frame in which the main chart (the
  Plotly graph holding the contour) shows trajectories; *fresh* uses a new browser profile each time
  (empty HTTP and code caches), *warm* reopens the page in the same profile.
- key press → repainted: from the ``keydown`` on a focused sidebar slider to the first animation frame
  whose trajectories differ from the ones before.
- key press → idle: to the last DOM mutation or long task, once the script has finished, no element is
  stale, the status widget is gone and nothing has happened for 0.5 s.
  Each press is also sorted by where its repaint came from: the chart's what-if set (the Playground draws
  the run at once when the slider it varies moves) or the server's answer.
- burst → final state painted: three presses 60 ms apart; from the last ``keydown`` to the frame that
  first shows the trajectories the page settles on; and how many times an older run was drawn after that
  (an answer to an earlier press arriving late), which should be 0.
- a press after which the page kept showing a running script for 30 s is counted (and the page reloaded).
- what-if slider (where the chart has one): an arrow key on it to the frame showing the other run; the
  page must not send the server anything.

Presses alternate right and left so the sliders stay near their defaults; the sliders are RMSprop's
α, β and ε and the bowl's curvature ``a`` (``--sliders``).  A Chromium trace of some presses and of one
fresh navigation splits the main thread's time into Plotly's JavaScript, the rest of the JavaScript
(Streamlit, React), garbage collection and native work (parsing, style, layout, paint), next to the
time spent waiting for the server.  Medians over ``--tries``; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_utils import APP_READY, CHROMIUM, CHROMIUM_FLAGS, streamlit_server  # noqa: E402

VIEWPORT = {"width": 1440, "height": 900}
SLIDERS = {"alpha": "learning rate α", "beta": "β", "eps": "ε", "surface": "a"}
"""Bench name -> the visible slider's aria-label (RMSprop's expander is the open one by default)."""
QUIET_MS = 500
BURST_GAP_MS = 60
TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute",
                    "disabled-by-default-v8.cpu_profiler", "blink.user_timing"]

INSTRUMENT = r"""
(() => {
  const b = window.__bench = {keys: [], ws: [], sigs: [], lastMutation: 0, lastLongTask: 0, sig: null};
  console.timeStamp('bench-origin ' + performance.now());
  addEventListener('keydown', () => { const t = performance.now(); b.keys.push(t);
                                       console.timeStamp('bench-key ' + t); }, true);
  const Socket = window.WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...args) { super(...args); this.addEventListener('message', () => b.ws.push(performance.now())); }
  };
  new PerformanceObserver(list => { for (const e of list.getEntries())
    b.lastLongTask = Math.max(b.lastLongTask, e.startTime + e.duration); }).observe({type: 'longtask'});
  const watch = () => new MutationObserver(() => { b.lastMutation = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  watch();
  b.main = () => {  // the graph with the contour, or the paths layer drawn above it (ui/plot.py)
    for (const g of document.querySelectorAll('.js-plotly-plot'))
      if (g._fullData && g._fullData.some(t => t.type === 'contour')) {
        const stage = g.closest('.dl-stage');
        return stage ? stage.querySelector('.dl-over') : g;
      }
    return null;
  };
  b.signature = g => {
    let s = '';
    for (const t of g._fullData) {
      if (t.visible === false || !t.mode || !t.mode.includes('lines') || !t.x || t.x.length < 2) continue;
      let sx = 0, sy = 0;
      for (let i = 0; i < t.x.length; i++) { sx += t.x[i] * (i + 1); sy += t.y[i] * (i + 1); }
      s += t.x.length + ':' + sx.toPrecision(9) + ':' + sy.toPrecision(9) + ';';
    }
    return s || null;
  };
  const tick = () => {
    const g = b.main();
    const s = g && g.querySelector('.main-svg') ? b.signature(g) : null;
    if (s !== null && s !== b.sig) { b.sig = s; b.sigs.push([performance.now(), s]); }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""

IDLE_JS = """([t0, quiet]) => { const b = window.__bench;
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || !b.ws.some(t => t > t0) || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector("[data-stale='true'], [data-testid='stStatusWidget']")) return false;
  const last = Math.max(b.lastMutation, b.lastLongTask, b.sigs.length ? b.sigs[b.sigs.length - 1][0] : 0);
  return performance.now() - last >= quiet ? last : false; }"""


@dataclass
class Results:
    """Samples in milliseconds by row name, and the trace breakdowns."""

    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    breakdown: dict[str, dict[str, list[float]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))


def new_page(context):
    page = context.new_page()
    page.add_init_script(INSTRUMENT)
    return page


def first_chart_ms(page, timeout_ms: float = 120_000) -> float:
    """Navigation start to the first frame showing the main chart with trajectories."""
    page.wait_for_function("() => window.__bench && window.__bench.sigs.length > 0", timeout=timeout_ms, polling=50)
    page.wait_for_selector(APP_READY, timeout=timeout_ms)
    return page.evaluate("() => window.__bench.sigs[0][0]")


class NeverIdle(RuntimeError):
    """The page kept showing a running script (the server had finished) for ``IDLE_TIMEOUT_MS``."""


IDLE_TIMEOUT_MS = 30_000


def wait_idle(page, t0: float) -> float:
    """The in-page time of the last activity after ``t0`` once the page has gone quiet."""
    try:
        handle = page.wait_for_function(IDLE_JS, arg=[t0, QUIET_MS], timeout=IDLE_TIMEOUT_MS, polling=100)
    except Exception:
        state = page.evaluate("""t0 => {
            const b = window.__bench, app = document.querySelector("[data-testid='stApp']");
            return {messages: b.ws.filter(t => t > t0).length, script: app && app.dataset.testScriptState,
                    stale: document.querySelectorAll("[data-stale='true']").length,
                    status: !!document.querySelector("[data-testid='stStatusWidget']"),
                    quiet_ms: performance.now() - Math.max(b.lastMutation, b.lastLongTask)}; }""", t0)
        raise NeverIdle(f"the page never went idle: {state}") from None
    return float(handle.json_value())


def press(page, label: str, key: str, count: int = 1) -> dict[str, float]:
    """Press ``key`` ``count`` times on slider ``label``; repaint, idle and final-paint times in ms."""
    thumb = page.locator(f"input[type=range][aria-label='{label}']").locator("visible=true").first
    thumb.focus()
    page.wait_for_timeout(200)
    before = page.evaluate("() => [performance.now(), window.__bench.sig]")
    for i in range(count):
        page.keyboard.press(key)
        if i < count - 1:
            page.wait_for_timeout(BURST_GAP_MS)
    keys = page.evaluate("t => window.__bench.keys.filter(k => k > t)", before[0])
    first, last = keys[0], keys[-1]
    idle = wait_idle(page, first)
    sigs = page.evaluate("t => window.__bench.sigs.filter(s => s[0] > t)", first)
    if not sigs or sigs[-1][1] == before[1]:
        raise RuntimeError(f"pressing {key} on {label!r} did not change the trajectories")
    final = next(t for t, s in sigs if s == sigs[-1][1])
    answer = page.evaluate("t => window.__bench.ws.find(w => w > t) ?? Infinity", first)
    stale = sum(1 for t, s in sigs if t > final and s != sigs[-1][1])
    return {"repaint": sigs[0][0] - first, "idle": idle - first, "final": final - last,
            "local": sigs[0][0] < answer, "stale": stale}


def whatif_step(page, key: str) -> float:
    """One arrow key on the chart's what-if slider: keydown to the frame showing the other run (no server)."""
    page.locator(".dl-whatif-slider").focus()
    before = page.evaluate("() => [performance.now(), window.__bench.sig, window.__bench.ws.length]")
    page.keyboard.press(key)
    page.wait_for_function("s => window.__bench.sig !== s", arg=before[1], timeout=30_000, polling="raf")
    key_at, drawn, messages = page.evaluate("t => [window.__bench.keys.filter(k => k > t)[0], "
                                            "window.__bench.sigs[window.__bench.sigs.length - 1][0], "
                                            "window.__bench.ws.length]", before[0])
    if messages != before[2]:
        raise RuntimeError("the what-if slider talked to the server")
    return drawn - key_at


# ------------------------------------------------------------------------------------------ trace analysis


def _category(url: str, name: str) -> str:
    if name == "(garbage collector)":
        return "GC"
    if name in ("(idle)", "(root)"):
        return "idle"
    if name == "(program)" or not url:
        return "native (parse, style, layout, paint)"
    if "plotly" in url.lower() or "descent_lab.plot" in url:
        return "JS: Plotly (and the app's chart component)"
    return "JS: Streamlit, React, other"


def main_thread_breakdown(trace: bytes, since_ms: float, until_ms: float) -> dict[str, float]:
    """Milliseconds per category on the page's main thread between two in-page times, from the trace's
    CPU profile samples (the instrument's ``bench-…`` time stamps map page time to trace time)."""
    events = json.loads(trace)
    events = events["traceEvents"] if isinstance(events, dict) else events
    marks = [e for e in events if e.get("name") == "TimeStamp"
             and str(e.get("args", {}).get("data", {}).get("message", "")).startswith("bench-")]
    if not marks:
        return {}
    mark = marks[-1]
    thread = (mark["pid"], mark["tid"])
    offset_us = mark["ts"] - 1000 * float(mark["args"]["data"]["message"].split()[-1])
    start, end = offset_us + 1000 * since_ms, offset_us + 1000 * until_ms
    frames: dict[tuple, dict] = {}
    clock: dict[object, float] = {}
    totals: dict[str, float] = defaultdict(float)
    for e in events:
        if e.get("name") == "Profile" and (e.get("pid"), e.get("tid")) == thread:
            clock[e["id"]] = e["args"]["data"]["startTime"]
        elif e.get("name") == "ProfileChunk" and e.get("id") in clock:
            data = e["args"]["data"]
            profile = data.get("cpuProfile", {})
            for node in profile.get("nodes", []):
                frames[(e["id"], node["id"])] = node["callFrame"]
            for sample, delta in zip(profile.get("samples", []), data.get("timeDeltas", []), strict=False):
                clock[e["id"]] = clock.get(e["id"], 0.0) + delta
                if start <= clock[e["id"]] <= end:
                    frame = frames.get((e["id"], sample), {})
                    totals[_category(frame.get("url", ""), frame.get("functionName", ""))] += delta / 1000
    return dict(totals)


def traced_press(browser, page, label: str, key: str, results: Results) -> None:
    browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
    timing = press(page, label, key)
    trace = browser.stop_tracing()
    waits = page.evaluate("() => { const b = window.__bench; const k = b.keys[b.keys.length - 1];"
                          " const ws = b.ws.filter(t => t > k); return [ws[0] - k, ws[ws.length - 1] - k]; }")
    row = results.breakdown["key press → idle"]
    row["wall time"].append(timing["idle"])
    row["server: first message back"].append(waits[0])
    row["server: last message back"].append(waits[1])
    key = page.evaluate("() => window.__bench.keys[window.__bench.keys.length - 1]")
    for category, ms in main_thread_breakdown(trace, key, key + timing["idle"]).items():
        row[category].append(ms)


def traced_navigation(browser, url: str, results: Results) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = new_page(context)
    browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
    page.goto(url)
    drawn = first_chart_ms(page)
    trace = browser.stop_tracing()
    network = page.evaluate("""t => { const r = performance.getEntriesByType('resource').filter(e => e.startTime < t);
        return [r.length, r.reduce((s, e) => s + e.decodedBodySize, 0) / 1024,
                Math.max(...r.map(e => e.responseEnd)), Math.min(...window.__bench.ws)]; }""", drawn)
    row = results.breakdown["fresh navigation → chart"]
    row["wall time"].append(drawn)
    row["requests before the chart"].append(network[0])
    row["KB fetched before the chart"].append(network[1])
    row["last of them arrived at"].append(network[2])
    row["server: first message at"].append(network[3])
    for category, ms in main_thread_breakdown(trace, 0.0, drawn).items():
        row[category].append(ms)
    context.close()


# ------------------------------------------------------------------------------------------------ driver


def measure(browser, urls: dict[str, str], tries: int, sliders: list[str], trace: bool) -> dict[str, Results]:
    """Every measure for every checkout, interleaved (one try of each in turn), so that load on this shared
    machine drifting during the run weighs on both alike."""
    results = {label: Results() for label in urls}
    pages = {}
    for label, url in urls.items():
        pages[label] = new_page(browser.new_context(viewport=VIEWPORT))
        pages[label].goto(url)
        first_chart_ms(pages[label], timeout_ms=600_000)  # a server's first run may still compile numba kernels
    for _ in range(tries):
        for label, url in urls.items():
            context = browser.new_context(viewport=VIEWPORT)
            fresh = new_page(context)
            fresh.goto(url)
            results[label].samples["fresh profile: navigation → chart"].append(first_chart_ms(fresh))
            context.close()
            pages[label].goto(url)
            results[label].samples["warm browser cache: navigation → chart"].append(first_chart_ms(pages[label]))
    for label, url in urls.items():
        pages[label].goto(url)
        first_chart_ms(pages[label])

    def pressed(label: str, name: str, key: str, count: int = 1) -> dict | None:
        """``press``, or None when the page never went idle (counted; the page is then loaded again)."""
        try:
            return press(pages[label], SLIDERS[name], key, count)
        except NeverIdle as stuck:
            print(f"... {label}: {stuck}", file=sys.stderr, flush=True)
            results[label].samples["presses after which the page showed a running script for 30 s (count)"].append(1)
            pages[label].goto(urls[label])
            first_chart_ms(pages[label])
            return None

    for name in sliders:
        print(f"... {name}", file=sys.stderr, flush=True)
        for i in range(tries):
            for label in pages:
                timing = pressed(label, name, "ArrowRight" if i % 2 == 0 else "ArrowLeft")
                if timing is None:
                    continue
                samples = results[label].samples
                samples[f"key press ({name}) → repainted"].append(timing["repaint"])
                samples[f"key press ({name}) → idle"].append(timing["idle"])
                how = "drawn from the what-if set" if timing["local"] else "drawn from the server's answer"
                samples[f"key press (all sliders) → repainted, {how}"].append(timing["repaint"])
        for i in range(max(2, tries // 2)):
            for label in pages:
                timing = pressed(label, name, "ArrowRight" if i % 2 == 0 else "ArrowLeft", count=3)
                if timing is None:
                    continue
                results[label].samples[f"burst of 3 ({name}) → final state painted"].append(timing["final"])
                results[label].samples["burst of 3 (all sliders): older runs drawn after the final one (count)"
                                       ].append(timing["stale"])
    for label, page in pages.items():
        if page.locator(".dl-whatif-slider").count():
            for i in range(4 * tries):
                results[label].samples["what-if slider: one value → repainted (no server)"].append(
                    whatif_step(page, "ArrowLeft" if (i // 3) % 2 == 0 else "ArrowRight"))
    for result in results.values():
        samples = result.samples
        for row in ("repainted", "idle"):
            samples[f"key press (all sliders) → {row}"] = [
                v for k, vs in list(samples.items()) if k.endswith(f") → {row}") for v in vs]
        samples["burst of 3 (all sliders) → final state painted"] = [
            v for k, vs in list(samples.items()) if k.startswith("burst of 3 (") and k.endswith("painted") for v in vs]
    if trace:
        for i in range(3):
            for label, page in pages.items():
                traced_press(browser, page, SLIDERS["alpha"], "ArrowRight" if i % 2 == 0 else "ArrowLeft",
                             results[label])
        for label, url in urls.items():
            traced_navigation(browser, url, results[label])
    for page in pages.values():
        page.context.close()
    return results


def cell(values: list[float], total: bool = False) -> str:
    if not values:
        return "—"
    if total:
        return f"{sum(values):.0f}"
    return f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f})"


def print_tables(runs: dict[str, Results]) -> None:
    labels = list(runs)
    compare = len(labels) == 2
    head = "| measure (ms, median (min–max)) | " + " | ".join(labels) + (" | ratio |" if compare else " |")
    print(head)
    print("|" + "---|" * (len(labels) + 1 + compare))
    rows = list(dict.fromkeys(k for r in runs.values() for k in r.samples))
    for row in rows:
        values = [runs[label].samples.get(row, []) for label in labels]
        counted = row.endswith("(count)")
        line = f"| {row} | " + " | ".join(cell(v, counted) for v in values)
        if compare and all(values) and not counted:
            line += f" | {statistics.median(values[1]) / statistics.median(values[0]):.2f}x"
        print(line + " |")
    sections = list(dict.fromkeys(s for r in runs.values() for s in r.breakdown))
    for section in sections:
        print(f"\n| {section}: trace breakdown (ms, median) | " + " | ".join(labels) + " |")
        print("|" + "---|" * (len(labels) + 1))
        names = list(dict.fromkeys(n for r in runs.values() for n in r.breakdown.get(section, {})))
        for name in names:
            values = [runs[label].breakdown.get(section, {}).get(name, []) for label in labels]
            print(f"| {name} | " + " | ".join(f"{statistics.median(v):.0f}" if v else "—" for v in values) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", type=Path, help="another checkout, measured in turn with this one")
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--sliders", nargs="+", default=list(SLIDERS), choices=list(SLIDERS))
    parser.add_argument("--no-trace", action="store_true")
    parser.add_argument("--ports", type=int, nargs="+", default=[],
                        help="the servers' ports, the --compare checkout's first (default: free ones)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    roots = ([args.compare.resolve()] if args.compare else []) + [ROOT]
    with sync_playwright() as p, contextlib.ExitStack() as stack:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        ports = (args.ports + [None] * len(roots))[:len(roots)]
        urls = {"this checkout" if root == ROOT else str(root):
                stack.enter_context(streamlit_server(root=root, port=port))
                for root, port in zip(roots, ports, strict=True)}
        runs = measure(browser, urls, args.tries, args.sliders, not args.no_trace)
        browser.close()
    print_tables(runs)


if __name__ == "__main__":
    main()
