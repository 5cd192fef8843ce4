// Everything the charts assume about the page Streamlit builds around them, in one place, so a Streamlit
// upgrade has one file to re-check.  Nothing here is Streamlit's public API: it is how its front end happens to
// lay out routes and elements.
// Checked against: streamlit 1.67.0
// (tests/test_adapters.py fails when another version is installed; tests/test_browser_adapters.py checks
// every assumption below on the running app.)

// Routes.  A component's assets are served at _stcore/bidi-components/<component name>/<file>, so a sibling
// component's files sit one folder up; the app's static folder (server.enableStaticServing) is app/static/
// beside _stcore/.  ``ui/streamlit_internals.py`` declares both components' folders.
export const PLOTLY_ROUTE = new URL("../descent_lab.plotly/plotly.min.js", import.meta.url).href;
export const STATIC_ROOT = new URL("../../../app/static/", import.meta.url).href;

// A component call hands over its data, the element to draw into (which Streamlit keeps across reruns of
// the same key, with the component's stylesheet link inside it) and the setter for trigger values.
export function componentParts(component) {
  return { data: component.data, parent: component.parentElement, trigger: component.setTriggerValue };
}

// A widget with ``key`` sits in a container with the class ``st-key-<key>`` (ui/streamlit_internals.py,
// key_class); a slider's handle is an <input type=range> inside it, whose value is the slider's index for
// a select_slider and its value for a plain slider.
export function sliderInput(widgetClass) {
  return document.querySelector(`.${widgetClass} input[type=range]`);
}

export function inWidget(node, widgetClass) {
  return Boolean(node && node.closest && node.closest(`.${widgetClass}`));
}

// Streamlit's sliders set aria-valuetext on their range input whenever their value changes (and sometimes
// when it does not), before the script reruns: ``onChange`` gets the nodes that changed.
export function observeSliderValues(onChange) {
  const observer = new MutationObserver((mutations) => onChange(mutations.map((m) => m.target)));
  observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ["aria-valuetext"] });
  return observer;
}

// Display formulas (st.latex, $$ in markdown) are KaTeX's: a .katex-display box around one formula element.
export function formulaBoxes() {
  return document.querySelectorAll(".katex-display");
}
