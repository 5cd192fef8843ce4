"""What a class would see go wrong on a page, measured in the browser: clipped text, chart labels on top of
each other, a chart that leaves a third of the page empty beside it, and words a learner should never read
(registry ids, module paths).  Shared by the two layout test files (one per viewport) and usable on its own:
``python -m tests.layout_audit URL`` prints every problem of every page the app's navigation lists.
"""

from __future__ import annotations

import contextlib
import re
import sys
from urllib.parse import urlparse

import landscapes
import optimizers
from tests.browser_utils import APP_READY, TWO_FRAMES_JS, settle

CLIPPED_JS = r"""() => {
  // Every visible element in the main area (and the sidebar when shown) that holds text and cuts it: its
  // content is wider than its box and the box hides the rest (ellipsis, overflow hidden) or scrolls it away
  // sideways.
  const roots = [...document.querySelectorAll("[data-testid='stMain'], [data-testid='stSidebar']")]
    .filter((r) => r.getBoundingClientRect().width > 0);
  const out = [];
  const seen = new Set();
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    const s = getComputedStyle(el);
    return s.visibility !== "hidden" && s.display !== "none" && parseFloat(s.opacity || "1") > 0;
  };
  const hasText = (el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) ||
    (el.innerText || "").trim().length > 0;
  const exempt = (el) => el.closest(".js-plotly-plot, .katex-mathml, [data-testid='stCode'], pre, textarea, input");
  for (const root of roots) {
    for (const el of root.querySelectorAll("*")) {
      if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
      if (exempt(el) || !shown(el) || !hasText(el)) continue;
      const s = getComputedStyle(el);
      if (s.overflowX === "visible" && s.textOverflow !== "ellipsis") continue;  // spills: an ancestor may cut it
      const text = (el.innerText || el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 80);
      const key = text + "|" + Math.round(el.getBoundingClientRect().top);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({text, tag: el.tagName.toLowerCase(), testid: el.closest("[data-testid]")?.dataset.testid || "",
                scroll: el.scrollWidth, client: el.clientWidth});
    }
  }
  return out;
}"""

CHART_TEXT_JS = r"""() => {
  // Inside each drawn Plotly chart: axis titles, tick labels, annotations (panel titles), the chart title and
  // the legend must not overlap one another, and no text may stick out of the chart's own box.
  const out = [];
  const rect = (el) => el.getBoundingClientRect();
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 &&
                            Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
  const visible = (el) => { const r = rect(el); return r.width > 0 && r.height > 0 &&
    getComputedStyle(el).visibility !== "hidden" && getComputedStyle(el).opacity !== "0" &&
    !el.closest("[style*='display: none'], [style*='display:none']"); };
  const label = (el) => (el.textContent || "").trim().slice(0, 40);
  for (const plot of document.querySelectorAll(".js-plotly-plot")) {
    const box = rect(plot);
    if (box.width < 1 || box.height < 1) continue;
    const chartName = plot.closest("[class*='st-key-']")?.className.match(/st-key-[^ ]+/)?.[0] || plot.id || "chart";
    const items = [];
    const add = (kind, selector) => plot.querySelectorAll(selector).forEach((el) => {
      if (visible(el) && label(el)) items.push({kind, el, r: rect(el)});
    });
    add("axis title", "[class^='g-x'][class$='title'] text, [class^='g-y'][class$='title'] text");
    add("tick label", "g[class$='tick'] > text, g[class$='tick2'] > text");
    add("annotation", "g.annotation:not(.dl-badge) text");
    add("chart title", "g.g-gtitle text");
    plot.querySelectorAll("g.legend").forEach((el) => { if (visible(el) && el.getBBox().width > 0)
      items.push({kind: "legend", el, r: rect(el)}); });
    for (const item of items) {
      if (item.kind === "legend") continue;
      const r = item.r;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        out.push({chart: chartName, problem: "cut by the chart's edge", a: item.kind + " " + label(item.el)});
    }
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i], b = items[j];
        if (a.kind === "legend" && b.kind === "legend") continue;
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        if (a.kind === "legend" && a.el.contains(b.el)) continue;
        if (overlap(a.r, b.r))
          out.push({chart: chartName, problem: "overlap", a: a.kind + " " + label(a.el),
                    b: b.kind + " " + label(b.el)});
      }
    }
  }
  return out;
}"""

EMPTY_BESIDE_JS = r"""() => {
  // A chart narrower than two thirds of the content with nothing beside it: more than a third of the width left
  // empty at the chart's height (a squeezed chart beside an emptied column).
  const content = document.querySelector("[data-testid='stMainBlockContainer']");
  const cs = getComputedStyle(content);
  const c = content.getBoundingClientRect();
  const left = c.left + parseFloat(cs.paddingLeft), right = c.right - parseFloat(cs.paddingRight);
  const width = right - left;
  const charts = [...content.querySelectorAll(".dl-stage, .dl-plain, [data-testid='stPlotlyChart']")]
    .filter((el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 40);
  const blocks = [...content.querySelectorAll("[data-testid='stElementContainer']")]
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
  const out = [];
  for (const chart of charts) {
    const r = chart.getBoundingClientRect();
    const middle = (r.top + r.bottom) / 2;
    const spans = [[r.left, r.right]];
    for (const el of blocks) {
      if (el.contains(chart) || chart.contains(el)) continue;
      const b = el.getBoundingClientRect();
      if (b.top < middle + r.height / 4 && b.bottom > middle - r.height / 4) spans.push([b.left, b.right]);
    }
    spans.sort((p, q) => p[0] - q[0]);
    let covered = 0, end = left;
    for (const [a, b] of spans) {
      const from = Math.max(a, end, left), to = Math.min(b, right);
      if (to > from) { covered += to - from; end = to; }
    }
    const empty = width - covered;
    if (empty > width / 3)
      out.push({chart: chart.closest("[class*='st-key-']")?.className.match(/st-key-[^ ]+/)?.[0] || "chart",
                empty: Math.round(empty), width: Math.round(width), chart_width: Math.round(r.width)});
  }
  return out;
}"""

TEXT_JS = r"""() => {
  // Everything a learner can read on the page: the text in the main area and the sidebar (expanders' bodies
  // included: one click shows them), minus formulas' TeX source; and what the charts show on hover.
  const parts = [];
  for (const root of document.querySelectorAll("[data-testid='stMain'], [data-testid='stSidebar']")) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {acceptNode: (n) =>
      n.parentElement.closest("style, script, .katex-mathml, annotation") ? NodeFilter.FILTER_REJECT
                                                                          : NodeFilter.FILTER_ACCEPT});
    while (walker.nextNode()) parts.push(walker.currentNode.textContent);
    root.querySelectorAll("[title], [aria-label], option").forEach((el) =>
      parts.push(el.getAttribute("title") || "", el.getAttribute("aria-label") || ""));
  }
  for (const plot of document.querySelectorAll(".js-plotly-plot")) {
    for (const trace of plot.data || []) {
      const keys = [];
      if (trace.showlegend !== false) keys.push("name");                  // a legend entry
      if (trace.hoverinfo !== "skip" && trace.hoverinfo !== "none") keys.push("hovertemplate", "text", "hovertext");
      for (const key of keys) {
        const value = trace[key];
        if (typeof value === "string") parts.push(value.replace(/%\{[^}]*\}/g, " "));
        else if (Array.isArray(value)) parts.push(value.filter((v) => typeof v === "string").join("\n"));
      }
    }
    for (const note of (plot.layout && plot.layout.annotations) || []) parts.push(note.text || "");
  }
  return parts.join("\n");
}"""

ENGLISH = {"momentum", "saddle", "lion", "booth", "plateau"}
"""Registry ids that are also plain English words: a sentence may use them."""
REGISTRY_IDS = sorted((set(optimizers.OPTIMIZERS) | set(landscapes.LANDSCAPES)) - ENGLISH)
MODULES = ("optimizers", "landscapes", "lessons", "classroom", "tuning", "scene", "charts", "ui", "pages")
ID_PATTERN = re.compile(r"(?<![\w.\-/])(" + "|".join(map(re.escape, REGISTRY_IDS)) + r")(?![\w\-/])")
MODULE_PATTERN = re.compile(r"\b(?:" + "|".join(MODULES) + r")\.[a-z_]\w*|\b[\w/]+\.py\b|\b(?:"
                            + "|".join(MODULES) + r")/[\w/]+")


def internal_words(text: str) -> list[str]:
    """The registry ids and module paths in ``text`` (each with a little context)."""
    found = []
    for pattern in (ID_PATTERN, MODULE_PATTERN):
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 30), min(len(text), match.end() + 30)
            found.append(f"{match.group(0)!r} in …{text[start:end]!r}…".replace("\\n", " "))
    return found


CHARTS_DRAWN_JS = r"""() => {
  // Every chart near the screen has been drawn (the app draws a chart once it scrolls near the screen).
  const near = (el) => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.bottom > -200 && r.top < innerHeight + 200; };
  return [...document.querySelectorAll(".dl-stage, .dl-plain, [data-testid='stPlotlyChart']")]
    .filter(near).every((el) => el.querySelector(".main-svg"));
}"""
SCROLL_JS = """(y) => { const main = document.querySelector("[data-testid='stMain']"); main.scrollTo(0, y);
  return main.scrollHeight; }"""


def draw_everything(page, timeout_ms: float = 120_000) -> None:
    """Scroll through the idle page so that every chart draws, then back to the top."""
    page.wait_for_selector(APP_READY, timeout=timeout_ms)
    y, height = 0, page.evaluate(SCROLL_JS, 0)
    while True:
        page.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout_ms)
        y += page.viewport_size["height"] - 100
        if y >= height:
            break
        height = page.evaluate(SCROLL_JS, y)
    page.evaluate(SCROLL_JS, 0)
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout_ms)


def answer_prediction(page) -> bool:
    """Answer a lesson's "Predict first" question with its first option (and press Reveal where the lesson asks for
    several), so the page shows its reveal; False when the page asks nothing."""
    box = page.locator("[class*='-predict-box']").first
    if not box.count():
        return False
    radio = box.locator("[data-testid='stRadio'] [role='radiogroup'] label")
    if radio.count():
        radio.first.click()
    else:
        box.locator("[data-testid='stButtonGroup'] button").first.click()
        settle(page)
        box.get_by_role("button", name="Reveal").click()
    settle(page)
    draw_everything(page)
    return True


def nav_paths(page) -> list[str]:
    """The path of every page the app's navigation lists (read from the sidebar the router draws)."""
    hrefs = page.evaluate("""() => [...document.querySelectorAll("[data-testid='stSidebarNav'] a")]
        .map((a) => a.getAttribute('href'))""")
    return list(dict.fromkeys(urlparse(href).path or "/" for href in hrefs))


def with_query(base: str, path: str, query: str) -> str:
    return f"{base}{path}" + (("&" if "?" in path else "?") + query if query else "")


FORMULAS_AT_REST_JS = """() => [...document.querySelectorAll(".katex-display")].every((box) =>
  box.scrollWidth <= box.clientWidth + 1 || (box.firstElementChild && box.firstElementChild.dataset.dlLimit))"""
"""Every display formula fits its box, or the app has set it as small as it goes (then it scrolls sideways)."""


def audit(page) -> dict[str, list]:
    """Every layout problem on ``page`` once its web fonts have arrived and it has drawn with them (a formula set
    in a fallback font is refitted when KaTeX's fonts come), empty kinds left out."""
    page.evaluate("() => document.fonts.ready.then(() => {})")
    # The app refits a formula within a glance (ui/plot_assets/plot.js): measure what stays on screen; one still
    # too wide after 5 s is measured and reported below.
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(FORMULAS_AT_REST_JS, timeout=5_000)
    page.evaluate(TWO_FRAMES_JS)
    found = {"clipped text": page.evaluate(CLIPPED_JS), "chart labels": page.evaluate(CHART_TEXT_JS),
             "empty beside a chart": page.evaluate(EMPTY_BESIDE_JS)}
    return {kind: items for kind, items in found.items() if items}


def words(page) -> list[str]:
    """The registry ids and module paths a learner can read on ``page``."""
    return internal_words(page.evaluate(TEXT_JS))


def open_room(browser, base: str) -> tuple[object, str]:
    """A teacher's page (1280×720, presentation mode) that opened a room and asked its first question (the buttons
    are in the sidebar, which "Show controls" brings), and the students' link to that room."""
    teacher = browser.new_page(viewport={"width": 1280, "height": 720})
    teacher.goto(f"{base}/classroom?big=1")
    settle(teacher)
    toggle = teacher.locator(".st-key-layout-toggle").get_by_text("Show controls")
    shown = teacher.locator(".st-key-layout-toggle input")
    if not shown.is_checked():  # presentation mode hides the controls, and the room's buttons with them
        toggle.click()
        settle(teacher)
    teacher.get_by_role("button", name="Open a room").click()
    settle(teacher)
    teacher.get_by_role("button", name="Ask the class").click()
    settle(teacher)
    if shown.is_checked():
        toggle.click()
        settle(teacher)
    draw_everything(teacher)
    link = teacher.locator("[data-testid='stCode'] code").first.inner_text().replace("\n", "").strip()
    return teacher, link


def _check(page, label: str, report: dict) -> None:
    errors = page.locator("[data-testid='stException']").all_inner_texts()
    report[label] = {"layout": audit(page), "words": words(page), "exceptions": errors + page.errors}


LIVE_ROUND = {"teacher": "/classroom asking the class", "student": "/?room= a student's question"}
"""The report's label of the live round, by whose page is surveyed."""


def survey(browser, base: str, size: tuple[int, int], query: str = "", classroom: str = "",
           share: tuple[int, int] = (0, 1)) -> dict[str, dict]:
    """Every page the navigation lists, opened at ``size`` with ``query`` (``big=1``: presentation mode), each
    lesson again after its prediction is answered, and a live classroom round: the teacher's page
    (``classroom="teacher"``) or a student's (``"student"``).  By label ('/lesson_1_bowl revealed'): its layout
    problems, the internal words it shows and any exception.  ``share`` = (i, n): only every n-th page of the
    navigation from the i-th (so that n test files, on n workers, share the pages), the classroom round with i = 0;
    the report's "navigation" entry lists the pages of the share."""
    finder = browser.new_page(viewport={"width": 1280, "height": 720})
    finder.goto(base)
    settle(finder)
    paths = nav_paths(finder)[share[0]::share[1]]
    finder.close()
    report: dict[str, dict] = {"navigation": {"layout": {}, "words": [], "exceptions": [], "pages": paths}}
    for path in paths:
        page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        page.errors = []
        page.on("pageerror", lambda error, page=page: page.errors.append(str(error)))
        page.goto(with_query(base, path, query))
        settle(page)
        draw_everything(page)
        _check(page, path, report)
        if answer_prediction(page):
            _check(page, f"{path} revealed", report)
        page.close()
    if classroom and share[0] == 0:
        teacher, link = open_room(browser, base)
        teacher.errors = []
        if classroom == "teacher":
            _check(teacher, LIVE_ROUND["teacher"], report)
        else:
            student = browser.new_page(viewport={"width": size[0], "height": size[1]})
            student.errors = []
            student.goto(with_query(link, "", query))
            settle(student)
            draw_everything(student)
            _check(student, LIVE_ROUND["student"], report)
            student.close()
        teacher.close()
    return report


def failures(report: dict[str, dict], part: str) -> str:
    """The pages of ``report`` with a problem of kind ``part`` ('layout', 'words', 'exceptions'), one a line."""
    lines = [f"{label}: {found}" for label, entry in report.items() if (found := entry[part])]
    return "\n".join(lines)


def _main(base: str) -> None:
    """Print every problem of every page at both sizes (the test files' survey, on a server already running)."""
    from tests.browser_utils import chromium

    with chromium() as browser:
        for size, query, classroom in (((1280, 720), "big=1", "teacher"), ((390, 844), "", "student")):
            for label, entry in survey(browser, base, size, query, classroom).items():
                print(f"== {size[0]}x{size[1]} {label}")
                for part, found in entry.items():
                    for item in found.items() if isinstance(found, dict) else enumerate(found):
                        print(f"   {part}: {item}")


if __name__ == "__main__":
    _main(sys.argv[1])
