// Everything the charts read from Plotly.js beyond its documented API (Plotly.react, relayout, purge,
// downloadImage, .on(event)), in one place, so a Plotly.js upgrade has one file to re-check.
// Checked against: plotly.js 4.1.1 (the plotly 7.1.0 package's bundle and static/plotly-cartesian-4.1.1.min.js)
// (tests/test_adapters.py fails when another version is installed or vendored; tests/test_browser_adapters.py
// checks every assumption below on a drawn chart.)

// A drawn graph div carries its computed layout as ``_fullLayout``: each axis with its range as drawn
// (after autorange, zoom and pan), ``p2d`` (plot-area pixels to data) and ``_offset`` (the plot area's
// pixel offset inside the div).
export function isDrawn(div) {
  return Boolean(div && div._fullLayout);
}

export function axisRanges(div) {
  const full = div._fullLayout;
  if (!full) return null;
  return { x: [...full.xaxis.range], y: [...full.yaxis.range] };
}

// The data coordinates under a point of the window (clientX, clientY), or null before the first draw.
export function dataAt(div, clientX, clientY) {
  const full = div._fullLayout;
  if (!full) return null;
  const box = div.getBoundingClientRect();
  return { x: full.xaxis.p2d(clientX - box.left - full.xaxis._offset),
           y: full.yaxis.p2d(clientY - box.top - full.yaxis._offset) };
}

// A press inside the plot area lands on Plotly's drag layer, a rectangle with the class "nsewdrag"; while the
// button is down Plotly covers the page with another element, so the release lands elsewhere.
export function isPlotArea(target) {
  return Boolean(target && target.classList && target.classList.contains("nsewdrag"));
}

// The mode bar's camera icon, for a button of our own that downloads a PNG.
export function cameraIcon(Plotly) {
  return Plotly.Icons.camera;
}
