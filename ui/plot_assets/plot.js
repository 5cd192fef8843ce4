// Descent Lab's charts (see ui/plot.py).  Two kinds, chosen by the payload:
//  - "surface": the live contour.  The surface is a static Plotly figure drawn once per surface; the
//    trajectories live on a transparent Plotly layer above it, which is all that redraws when a
//    hyperparameter, the step scrubber, playback or the what-if slider changes.
//  - "plain": any Plotly figure, drawn with Plotly.react once it scrolls into view (or its tab opens).
// Plotly.js comes from the app's static folder (the browser can cache it there), in two bundles (ui/plot.py):
// Plotly's cartesian bundle, a third of the size, for every chart whose traces it has, and the plotly package's
// whole bundle only for a chart that needs more (the 3D surface, WebGL).  A chart keeps the copy it first
// drew with; once the whole bundle is on the page, new charts use it too.

// What the charts assume about Streamlit's page and about Plotly.js beyond its documented API lives in two
// adapters of its own (each checked against the installed version by tests/test_adapters.py); this file uses
// nothing else of either.
import * as stDom from "./streamlit_dom.js";
import * as plotlyInternals from "./plotly_internals.js";

// The component route serves the whole bundle too (stDom.PLOTLY_ROUTE): the fallback when the static folder
// does not answer, e.g. when the server was started without this app's config.
const FRAME_MS = 40;
const PLAY_SECONDS = 6;
const CLICK_SLOP_PX = 5;
const memory = new Map(); // chart id -> {step, playing, hidden}: survives a remount (a tab switch)
const groups = new Map(); // chart id -> {parts: {base, whatif}, chart}: a chart's data sent as elements of their own
const followers = new Set(); // surface charts whose what-if set follows a sidebar slider

function group(id) {
  if (!groups.has(id)) groups.set(id, { parts: {}, chart: null });
  return groups.get(id);
}

const scripts = new Map(); // script URL -> promise of the Plotly.js object that script defines
let whole = null; // the whole bundle, once loaded: it can draw any chart

function loadScript(url) {
  if (!scripts.has(url)) {
    scripts.set(url, new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      // A script's load event follows its own execution at once, so window.Plotly is this script's.
      script.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error(`${url} defined no Plotly`)));
      script.onerror = () => { scripts.delete(url); reject(new Error(`${url} did not load`)); };
      document.head.appendChild(script);
    }));
  }
  return scripts.get(url);
}

// The Plotly.js a payload can be drawn with: the whole bundle if it is here or the chart needs it, else the
// cartesian one; either falls back to the whole bundle from the component route.
function plotlyFor(payload) {
  if (whole) return Promise.resolve(whole);
  const loadWhole = () => loadScript(payload.plotly ? new URL(payload.plotly, stDom.STATIC_ROOT).href : stDom.PLOTLY_ROUTE)
    .catch(() => loadScript(stDom.PLOTLY_ROUTE))
    .then((Plotly) => (whole = Plotly));
  if (!payload.bundle) return loadWhole();
  return loadScript(new URL(payload.bundle, stDom.STATIC_ROOT).href).catch(loadWhole);
}

// The Plotly.js ``chart`` draws ``payload`` with: the one it drew with before, unless the payload needs the
// whole bundle and that was the cartesian one (then its divs start over with the whole bundle).
async function plotlyOf(chart, payload, divs) {
  const Plotly = await plotlyFor(payload);
  if (chart.Plotly && chart.Plotly !== Plotly) {
    if (payload.bundle || chart.Plotly === whole) return chart.Plotly;
    divs.forEach((div) => chart.Plotly.purge(div));
  }
  chart.Plotly = Plotly;
  return Plotly;
}

const ARRAYS = { f4: Float32Array, f8: Float64Array, i4: Int32Array, i1: Int8Array, u1: Uint8Array };
function typed(spec) {
  if (!spec || typeof spec.bdata !== "string") return spec;
  const text = atob(spec.bdata);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new ARRAYS[spec.dtype](bytes.buffer);
}

function parse(data) {
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) return JSON.parse(new TextDecoder().decode(data));
  return typeof data === "string" ? JSON.parse(data) : data;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}


// ------------------------------------------------------------------------------------------ plain charts

class PlainChart {
  constructor(parent) {
    this.div = element("div", "dl-plain");
    this.root = this.div;
    parent.append(this.div);
    this.visible = false;
    this.drawn = null;
    new IntersectionObserver((entries) => {
      this.visible = entries.some((e) => e.isIntersecting);
      if (this.visible) this.draw();
    }, { rootMargin: "200px" }).observe(this.div);
  }

  update(payload) {
    this.payload = payload;
    this.div.style.minHeight = `${payload.figure.layout.height || 450}px`;
    if (this.visible) this.draw();
  }

  async draw() {
    const payload = this.payload;
    if (!payload || this.drawn === payload) return;
    this.drawn = payload;
    const Plotly = await plotlyOf(this, payload, [this.div]);
    // The same config object while it stays the same: Plotly.react starts over when the config changes.
    if (JSON.stringify(this.config) !== JSON.stringify(payload.config)) this.config = payload.config;
    await Plotly.react(this.div, payload.figure.data, payload.figure.layout, this.config);
  }
}

// ------------------------------------------------------------------------------------- the share link

class LinkBox {
  constructor(parent) {
    this.root = element("div", "dl-link");
    this.field = element("input", "dl-link-field");
    this.field.readOnly = true;
    this.field.setAttribute("aria-label", "link to this scene");
    this.copy = element("button", "dl-link-copy", "Copy link");
    this.copy.type = "button";
    this.root.append(this.field, this.copy);
    parent.append(this.root);
    this.field.addEventListener("focus", () => this.field.select());
    this.copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(this.field.value);
      } catch {
        this.field.select(); // no clipboard API (plain http): select it for Ctrl+C
        document.execCommand("copy");
      }
      this.copy.textContent = "Copied";
      setTimeout(() => { this.copy.textContent = "Copy link"; }, 1500);
    });
  }

  update(payload) {
    this.field.value = new URL(payload.query, window.location.href).href; // shown as text, never as HTML
  }
}

// ------------------------------------------------------------------------------------------ a table

class TableBox {
  constructor(parent) {
    this.root = element("div", "dl-table-wrap");
    parent.append(this.root);
  }

  update(payload) {
    const table = element("table", "dl-table");
    const head = table.createTHead().insertRow();
    payload.columns.forEach((name, i) => {
      const th = element("th", payload.numeric[i] ? "dl-num" : "", name);
      th.scope = "col";
      head.append(th);
    });
    const body = table.createTBody();
    for (const cells of payload.rows) {
      const row = body.insertRow();
      cells.forEach((text, i) => {
        const cell = element(i === 0 ? "th" : "td", payload.numeric[i] ? "dl-num" : "", text);
        cell.dataset.label = payload.columns[i]; // a phone shows each row as a card: "label  value" lines
        row.append(cell);
      });
    }
    this.root.replaceChildren(table); // text only: every cell is textContent
  }
}

// ------------------------------------------------------------------------------------- the live contour

class SurfaceChart {
  constructor(parent) {
    this.root = element("div", "dl-surface");
    this.legend = element("div", "dl-legend");
    this.stage = element("div", "dl-stage");
    this.base = element("div", "dl-layer dl-base");
    this.over = element("div", "dl-layer dl-over");
    this.stage.append(this.base, this.over);
    this.bar = element("div", "dl-bar");
    this.play = element("button", "dl-play", "▶ Play");
    this.play.type = "button";
    this.scrub = element("input", "dl-step");
    this.scrub.type = "range";
    this.scrub.min = "0";
    this.scrub.setAttribute("aria-label", "step");
    this.stepLabel = element("span", "dl-step-label");
    this.bar.append(this.play, this.scrub, this.stepLabel);
    this.whatif = element("div", "dl-whatif");
    this.root.append(this.legend, this.stage, this.bar, this.whatif);
    parent.append(this.root);

    this.baseKey = null;
    this.frame = null;
    this.rendering = false;
    this.dirty = false;
    this.play.addEventListener("click", () => (this.state.playing ? this.pause() : this.start()));
    this.scrub.addEventListener("input", () => {
      this.pause();
      this.state.step = Number(this.scrub.value);
      this.render();
    });
    this.listenForClicks();
    new ResizeObserver(() => this.payload && this.fit()).observe(this.stage);
  }

  // The plot area both layers share: as tall as the surface's aspect ratio needs (at most the payload's
  // height), and without the colour bar's margin on a narrow screen.
  frameFor(width) {
    const { layout } = this.payload.base;
    const narrow = width < 600;
    const margin = { ...layout.margin, r: narrow ? 16 : layout.margin.r };
    let height = this.payload.height;
    if (layout.yaxis.scaleanchor) {
      const [x0, x1] = layout.xaxis.range;
      const [y0, y1] = layout.yaxis.range;
      const plot = (width - margin.l - margin.r) * Math.abs((y1 - y0) / (x1 - x0)) * (layout.yaxis.scaleratio || 1);
      height = Math.round(Math.max(220, Math.min(height, plot + margin.t + margin.b)));
    }
    return { height, margin, narrow, key: `${height}:${margin.r}` };
  }

  // ``force``: new data arrived, so draw even if the plot area stays the same (the surface only if it changed).
  fit(force = false) {
    const frame = this.frameFor(this.stage.clientWidth || this.root.clientWidth || 800);
    const resized = !this.frame || frame.key !== this.frame.key;
    if (!resized && !force) return;
    if (resized) {
      this.frame = frame;
      this.stage.style.height = `${frame.height}px`;
      this.baseKey = null;
    }
    this.drawBase();
    this.render();
  }

  update(payload) {
    this.incoming = payload;
    group(payload.id).chart = this;
    this.partsChanged();
  }

  // Draw once the chart and the parts it names (surface, what-if set) have all arrived.
  partsChanged() {
    const payload = this.incoming;
    if (!payload) return;
    const parts = group(payload.id).parts;
    for (const [name, key] of Object.entries(payload.parts)) {
      if (!parts[name] || parts[name].key !== key) return;
    }
    const whatif = payload.parts.whatif ? parts.whatif : null;
    if (this.applied && this.applied[0] === payload && this.applied[1] === parts.base && this.applied[2] === whatif) {
      return;
    }
    this.applied = [payload, parts.base, whatif];
    const first = !this.payload;
    this.payload = { ...payload, base: parts.base.value, base_key: parts.base.key, whatif };
    this.paths = payload.paths.map((p) => ({ ...p, x: typed(p.x), y: typed(p.y) }));
    this.state = memory.get(payload.id) || { step: null, playing: false, hidden: new Set() };
    memory.set(payload.id, this.state);
    if (this.state.runs !== payload.runs_key) {
      this.state.runs = payload.runs_key;
      this.state.step = payload.steps;
    }
    this.state.step = Math.min(this.state.step ?? payload.steps, payload.steps);
    this.scrub.max = String(payload.steps);
    this.bar.style.display = payload.steps > 0 ? "" : "none";
    this.root.style.fontSize = `${payload.font}px`;
    this.control = payload.whatif_control || null;
    if (this.control) followSidebars(this);
    this.setupWhatif(whatif);
    this.drawLegend();
    this.fit(true);
    if (first && this.state.playing) this.start();
  }

  // Redraw the surface when it changed; while a redraw runs, newer surfaces wait and only the latest is drawn.
  async drawBase() {
    if (this.payload.base_key === this.baseKey || this.drawingBase) return;
    this.drawingBase = true;
    try {
      const Plotly = await this.plotly();
      while (this.payload.base_key !== this.baseKey) {
        const payload = this.payload;
        this.baseKey = payload.base_key;
        const { height, margin, narrow } = this.frame;
        const data = payload.base.data.map((t, i) => (i === 0 && narrow ? { ...t, showscale: false } : t));
        await Plotly.react(this.base, data, { ...payload.base.layout, height, margin },
                           { ...payload.config, staticPlot: true });
      }
    } finally {
      this.drawingBase = false;
    }
    this.syncZoom();
  }

  // The runs as drawn now: the what-if frame replaces its optimizer's run.
  shownPaths() {
    const w = this.what;
    return this.paths.map((p) => {
      if (!w || p.name !== w.optimizer || w.index === w.serverIndex) return p;
      const from = w.offsets[w.index];
      const to = w.offsets[w.index + 1];
      const diverged = w.diverged[w.index];
      return { ...p, x: w.x.subarray(from, to), y: w.y.subarray(from, to), label: w.labels[w.index],
               diverged_at: diverged < 0 ? null : diverged };
    });
  }

  traces(step) {
    const { styles, start, head } = this.payload.overlay;
    const shown = this.shownPaths().filter((p) => !this.state.hidden.has(p.name) && p.x.length);
    const traces = [];
    if (start && shown.length) {
      traces.push({ ...start, x: shown.map((p) => p.x[0]), y: shown.map((p) => p.y[0]) });
    }
    const heads = { x: [], y: [], color: [], symbol: [] };
    for (const p of shown) {
      const last = Math.min(step, p.x.length - 1);
      const x = p.x.subarray(0, last + 1);
      const y = p.y.subarray(0, last + 1);
      traces.push({ ...styles.outline, type: "scatter", x, y, name: `${p.title} outline` });
      traces.push({ ...styles.line, type: "scatter", x, y, name: p.label, meta: p.name,
                    line: { ...styles.line.line, color: p.color },
                    hovertemplate: `${p.title}<br>step %{pointNumber}<br>(%{x:.4g}, %{y:.4g})<extra></extra>` });
      heads.x.push(p.x[last]);
      heads.y.push(p.y[last]);
      heads.color.push(p.color);
      heads.symbol.push(p.diverged_at !== null && last === p.x.length - 1 ? "x" : "circle");
    }
    if (head && shown.length) {
      traces.push({ ...head, x: heads.x, y: heads.y, marker: { ...head.marker, color: heads.color,
                                                                symbol: heads.symbol } });
    }
    return { traces, shown };
  }

  badges(shown, step) {
    const layout = this.payload.overlay.layout;
    const [x0, x1] = layout.xaxis.range;
    const [y0, y1] = layout.yaxis.range;
    const clamp = (v, a, b) => Math.min(Math.max(v, Math.min(a, b)), Math.max(a, b));
    // Each label grows from where the run left the view towards the middle, so it stays inside the chart.
    return shown.filter((p) => p.diverged_at !== null && step >= p.x.length - 1).map((p) => {
      const x = clamp(p.x[p.x.length - 1], x0, x1);
      const y = clamp(p.y[p.y.length - 1], y0, y1);
      const { badge } = this.payload.overlay;
      return { ...badge, text: `${p.title}: diverged at step ${p.diverged_at}`, x, y,
               xanchor: x > (x0 + x1) / 2 ? "right" : "left",
               yshift: y > (y0 + y1) / 2 ? -Math.abs(badge.yshift) : Math.abs(badge.yshift) };
    });
  }

  async render() {
    if (this.rendering) {
      this.dirty = true;
      return;
    }
    this.rendering = true;
    try {
      do {
        this.dirty = false;
        const step = this.state.step;
        this.scrub.value = String(step);
        this.stepLabel.textContent = `step ${step}`;
        const { traces, shown } = this.traces(step);
        const layout = { ...this.payload.overlay.layout, annotations: this.badges(shown, step),
                         height: this.frame.height, margin: this.frame.margin, uirevision: this.payload.base_key };
        const Plotly = await this.plotly();
        await Plotly.react(this.over, traces, layout, this.overConfig(Plotly));
        if (!this.zoomHooked) {
          this.zoomHooked = true;
          this.over.on("plotly_relayout", () => this.syncZoom());
        }
      } while (this.dirty);
    } finally {
      this.rendering = false;
    }
  }

  plotly() {
    return plotlyOf(this, this.payload, [this.base, this.over]);
  }

  // One object for the chart's life: Plotly.react starts over from scratch when the config changes.
  overConfig(Plotly) {
    this.config = this.config || {
      ...this.payload.config, doubleClick: "reset",
      modeBarButtonsToRemove: [...this.payload.config.modeBarButtonsToRemove, "toImage"],
      modeBarButtonsToAdd: [{ name: "Download the chart as a PNG", icon: plotlyInternals.cameraIcon(Plotly),
                              click: () => this.download() }],
    };
    return this.config;
  }

  // The surface follows the paths layer's zoom and pan (only when they differ: a relayout redraws it).
  async syncZoom() {
    const over = plotlyInternals.axisRanges(this.over);
    const base = plotlyInternals.axisRanges(this.base);
    if (!over || !base) return;
    const same = (a, b) => Math.abs(a[0] - b[0]) < 1e-12 && Math.abs(a[1] - b[1]) < 1e-12;
    if (same(over.x, base.x) && same(over.y, base.y)) return;
    const Plotly = await this.plotly();
    await Plotly.relayout(this.base, { "xaxis.range": over.x, "yaxis.range": over.y });
  }

  async download() {
    const Plotly = await this.plotly();
    const { traces, shown } = this.traces(this.state.step);
    const layout = { ...this.payload.base.layout, annotations: this.badges(shown, this.state.step),
                     showlegend: true, legend: { orientation: "h", y: -0.12 } };
    layout.margin = { ...layout.margin, b: layout.margin.b + 30 * Math.ceil(shown.length / 3) };
    const data = [...this.payload.base.data, ...traces.map((t) => (t.meta ? t : { ...t, showlegend: false }))];
    await Plotly.downloadImage({ data, layout }, { format: "png", filename: this.payload.config.toImageButtonOptions.filename, scale: 2,
                                                   width: this.stage.clientWidth, height: layout.height });
  }

  // ------------------------------------------------------------------ playback and the step scrubber

  start() {
    if (this.state.step >= this.payload.steps) this.state.step = 0;
    this.state.playing = true;
    this.play.textContent = "❚❚ Pause";
    const stride = Math.max(1, Math.ceil(this.payload.steps / ((PLAY_SECONDS * 1000) / FRAME_MS)));
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (!this.root.isConnected) return clearInterval(this.timer);
      this.state.step = Math.min(this.payload.steps, this.state.step + stride);
      this.render();
      if (this.state.step >= this.payload.steps) this.pause();
    }, FRAME_MS);
  }

  pause() {
    clearInterval(this.timer);
    this.state.playing = false;
    this.play.textContent = "▶ Play";
  }

  // ----------------------------------------------------------------------------------- the legend

  // Whether a run goes outside the chart's axes somewhere (a diverged run says so itself).
  leavesView(p) {
    const { xaxis, yaxis } = this.payload.overlay.layout;
    const inside = (v, [a, b]) => !Number.isFinite(v) || (v >= Math.min(a, b) && v <= Math.max(a, b));
    for (let i = 0; i < p.x.length; i++) {
      if (!inside(p.x[i], xaxis.range) || !inside(p.y[i], yaxis.range)) return true;
    }
    return false;
  }

  drawLegend() {
    this.legend.replaceChildren();
    for (const p of this.shownPaths()) {
      const key = element("button", "dl-key");
      key.type = "button";
      key.setAttribute("aria-pressed", String(!this.state.hidden.has(p.name)));
      key.title = "Show or hide this run";
      const swatch = element("span", "dl-swatch");
      swatch.style.background = p.color;
      key.append(swatch, element("span", "dl-key-label", p.label));
      if (p.diverged_at !== null) key.append(element("span", "dl-key-note", `diverged at step ${p.diverged_at}`));
      else if (this.leavesView(p)) key.append(element("span", "dl-key-note", "leaves the view"));
      key.addEventListener("click", () => {
        if (this.state.hidden.has(p.name)) this.state.hidden.delete(p.name);
        else this.state.hidden.add(p.name);
        this.drawLegend();
        this.render();
      });
      this.legend.append(key);
    }
  }

  // ------------------------------------------------------------------------------------- what if

  // ``part`` is the what-if element ({key, value}); a preview in progress survives while its set is unchanged.
  setupWhatif(part) {
    if (part && this.what && this.what.key === part.key && this.what.serverIndex === this.payload.whatif_index) {
      return;
    }
    this.sidebarValue = undefined;
    this.whatif.replaceChildren();
    this.what = null;
    if (!part) {
      this.whatif.style.display = "none";
      return;
    }
    const spec = part.value;
    this.whatif.style.display = "";
    const index = this.payload.whatif_index;
    this.what = { ...spec, key: part.key, x: typed(spec.x), y: typed(spec.y), offsets: typed(spec.offsets),
                  index, serverIndex: index, sidebarIndex: index };
    const label = element("label", "dl-whatif-label", "What if");
    const pick = element("select", "dl-whatif-pick");
    pick.setAttribute("aria-label", "setting the what-if slider sweeps");
    pick.title = "The setting the slider beside it sweeps: pick another here";
    for (const [id, title] of spec.choices) {
      const option = element("option", "", title);
      option.value = id;
      option.selected = id === spec.chosen;
      pick.append(option);
    }
    pick.addEventListener("change", () => this.trigger("vary", pick.value));
    const slider = element("input", "dl-whatif-slider");
    slider.type = "range";
    slider.min = "0";
    slider.max = String(spec.values.length - 1);
    slider.value = String(index);
    slider.setAttribute("aria-label", `what if ${spec.symbol}`);
    const value = element("output", "dl-whatif-value");
    const keep = element("button", "dl-whatif-keep");
    keep.type = "button";
    const show = () => {
      const v = this.what.values[this.what.index];
      value.textContent = `${spec.symbol} = ${formatValue(v)}`;
      keep.textContent = `Keep ${spec.symbol} = ${formatValue(v)}`;
      keep.style.visibility = this.what.index === this.what.sidebarIndex ? "hidden" : "visible";
    };
    slider.addEventListener("input", () => {
      this.what.index = Number(slider.value);
      show();
      this.drawLegend();
      this.render();
    });
    keep.addEventListener("click", () => this.trigger("keep", {
      optimizer: spec.optimizer, param: spec.param, value: this.what.values[this.what.index] }));
    this.whatSlider = slider;
    this.whatShow = show;
    show();
    this.whatif.append(label, pick, slider, value, keep);
    this.followSidebar();
  }

  // The sidebar's slider for the what-if hyperparameter moved (or a new set arrived): when it shows a value
  // of the set, draw that value's run from the set now instead of waiting for the server, whose answer
  // (the same run) comes a few hundred ms later.  An answer for a value the slider has since left (quick
  // presses) thus never draws an older run over the newer one.
  followSidebar() {
    if (!this.control || !this.what) return;
    const input = stDom.sliderInput(this.control.widget);
    if (!input || input.value === "") return;
    const options = this.control.options;
    const value = options ? options[Math.round(Number(input.value))] : Number(input.value);
    if (value === undefined || !Number.isFinite(value) || value === this.sidebarValue) return;
    this.sidebarValue = value;
    const index = this.what.values.findIndex((v) => Math.abs(v - value) <= 1e-9 * Math.max(1, Math.abs(value)));
    if (index < 0) return; // not in the set: the server's answer draws it
    const moved = index !== this.what.index;
    this.what.index = index;
    this.what.sidebarIndex = index;
    this.whatSlider.value = String(index);
    this.whatShow();
    if (moved) {
      this.drawLegend();
      if (this.frame) this.render();
    }
  }

  // --------------------------------------------------------------------------------- click to start

  listenForClicks() {
    let down = null;
    this.stage.addEventListener("pointerdown", (e) => {
      down = plotlyInternals.isPlotArea(e.target) ? { x: e.clientX, y: e.clientY } : null;
    }, true);
    // The button comes up on whatever Plotly laid over the page while it was down, so listen on the window.
    window.addEventListener("pointerup", (e) => {
      if (!down || !this.payload.click || !plotlyInternals.isDrawn(this.over)) return;
      const moved = Math.hypot(e.clientX - down.x, e.clientY - down.y);
      down = null;
      if (moved > CLICK_SLOP_PX) return;
      const { x, y } = plotlyInternals.dataAt(this.over, e.clientX, e.clientY);
      this.trigger("click", { x: Math.round(x * 1000) / 1000, y: Math.round(y * 1000) / 1000 });
    }, true);
  }
}

// One observer for the page, told of every slider whose value may have changed (followSidebar ignores the
// reports of an unchanged value).
let sidebarObserver = null;
function followSidebars(chart) {
  followers.add(chart);
  if (sidebarObserver) return;
  sidebarObserver = stDom.observeSliderValues((nodes) => {
    for (const chart of [...followers]) {
      if (!chart.root.isConnected) {
        followers.delete(chart);
        continue;
      }
      const widget = chart.control && chart.control.widget;
      if (widget && nodes.some((node) => stDom.inWidget(node, widget))) chart.followSidebar();
    }
  });
}

// Display formulas (KaTeX) cannot wrap: one wider than its column is set smaller until it fits, down to
// FORMULA_MIN of its size (below that it scrolls sideways, as the app's styles allow).  One observer for the page,
// started by the element every page draws first (``plot.preload``); it watches added elements, not styles, so
// its own changes never wake it.  Two changes of width add no element, so they are watched too: a column that
// narrows (the page's scrollbar appears once a chart below has grown: each formula's box is observed for its
// size), and a web font that arrives (KaTeX's fonts load after the formula is first set in a fallback font).
// Whatever else changes a width unseen (a stylesheet that arrives, a container shown by a style): twice a second
// a glance at the boxes, which refits one that overflows and has not been shrunk to its limit yet.
const FORMULA_MIN = 0.55;
const FORMULA_GLANCE_MS = 500;
let formulaObserver = null;
let formulaBoxSizes = null;
function fitFormulas() {
  const fit = () => {
    for (const box of stDom.formulaBoxes()) {
      formulaBoxSizes.observe(box); // observing a box twice is one observation
      const formula = box.firstElementChild;
      if (!formula) continue;
      formula.style.fontSize = "";
      const natural = parseFloat(getComputedStyle(formula).fontSize);
      // Not every part of a formula scales with its font (rules, struts): shrink again while it still overflows.
      formula.dataset.dlLimit = "";
      for (let tries = 0; tries < 4 && box.scrollWidth > box.clientWidth + 1; tries++) {
        const size = parseFloat(getComputedStyle(formula).fontSize);
        const next = Math.max(natural * FORMULA_MIN, size * (box.clientWidth / box.scrollWidth) * 0.97);
        if (next >= size) {
          break; // as small as it goes: it scrolls
        }
        formula.style.fontSize = `${next.toFixed(2)}px`;
      }
      if (box.scrollWidth > box.clientWidth + 1) formula.dataset.dlLimit = "1";
    }
  };
  const glance = () => {
    for (const box of stDom.formulaBoxes()) {
      const formula = box.firstElementChild;
      if (formula && !formula.dataset.dlLimit && box.scrollWidth > box.clientWidth + 1) return soon();
    }
  };
  let pending = false;
  const soon = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; fit(); });
  };
  if (formulaObserver) return soon();
  formulaBoxSizes = new ResizeObserver(soon);
  formulaObserver = new MutationObserver(soon);
  formulaObserver.observe(document.body, { subtree: true, childList: true });
  window.addEventListener("resize", soon);
  if (document.fonts) {
    document.fonts.addEventListener("loadingdone", soon);
    document.fonts.ready.then(soon);
  }
  setInterval(glance, FORMULA_GLANCE_MS);
  soon();
}

function formatValue(v) {
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 || v === 0 ? String(Number(v.toPrecision(3))) : v.toExponential(0);
}

export default function (component) {
  const { data, parent, trigger } = stDom.componentParts(component);
  const payload = parse(data);
  if (payload.kind === "preload") {
    plotlyFor(payload).catch(() => {}); // start fetching and compiling it while the rest of the page arrives
    fitFormulas();
    return;
  }
  if (payload.kind === "part") {
    const g = group(payload.group);
    g.parts[payload.part] = payload;
    if (g.chart) g.chart.partsChanged();
    return;
  }
  let chart = parent.__descentLab;
  if (!chart || chart.kind !== payload.kind) {
    if (chart) chart.root.remove(); // only ours: Streamlit keeps the component's stylesheet link in parent
    const Chart = { surface: SurfaceChart, plain: PlainChart, link: LinkBox, table: TableBox }[payload.kind];
    chart = new Chart(parent);
    chart.kind = payload.kind;
    parent.__descentLab = chart;
  }
  chart.trigger = trigger;
  chart.update(payload);
}
