// A Plotly chart that updates in place: Streamlit's st.plotly_chart remounts the chart (a
// full Plotly.newPlot) whenever the figure changes; here each new figure goes through
// Plotly.react, which only redraws what changed and keeps the zoom (uirevision).
// Speaks the components-v1 protocol by hand: no build step, no npm.
(function () {
  "use strict";
  const chart = document.getElementById("chart");
  const alt = document.getElementById("alt");
  const decoder = new TextDecoder();
  let height = -1;
  let clicks = 0;
  let bound = false;
  let pending = null;  // newest args not drawn yet: a burst of renders draws only the last
  let drawing = false;

  function post(type, data) {
    window.parent.postMessage(Object.assign({isStreamlitMessage: true, type: type}, data), "*");
  }

  function setHeight(h) {
    if (h !== height) {
      height = h;
      // The div gets the figure's height too: with responsive: true Plotly sizes the chart
      // to its div on every window resize, and a div without a height would be 0 px tall.
      chart.style.height = h + "px";
      post("streamlit:setFrameHeight", {height: h});
    }
  }

  let lastTouch = -Infinity;

  function onClick(event) {
    const point = event && event.points && event.points[0];
    if (!point) return;
    // A tap fires Plotly's click twice: from the touch, then from the mouse events the
    // browser sends after it, whose hover Plotly places up to 0.3 axis units off (seen at
    // 390 px in Chromium's touch emulation). The touch's click is the tap; drop the echo.
    const type = (event.event && event.event.type) || "";
    if (type.startsWith("touch")) {
      lastTouch = performance.now();
    } else if (performance.now() - lastTouch < 1000) {
      return;
    }
    clicks += 1;
    // The shape of st.plotly_chart's selection event, so the same callbacks read both.
    post("streamlit:setComponentValue", {
      dataType: "json",
      value: {
        selection: {points: [{curve_number: point.curveNumber,
                              point_index: point.pointNumber,
                              customdata: point.customdata}]},
        click: clicks,
      },
    });
  }

  let lastSpec = null;

  // The SVG twin of the camera button (a JSON config cannot carry a click handler): same
  // file name and layout size as the PNG the camera saves (ui/live_chart.image_config).
  // Built once per config: Plotly.react replots from scratch when the config differs, and
  // a new click function would make every config differ.
  let lastConfigJson = null;
  let lastConfig = null;

  function withSvgButton(config) {
    const json = JSON.stringify(config);
    if (json !== lastConfigJson) {
      lastConfigJson = json;
      lastConfig = addSvgButton(config);
    }
    return lastConfig;
  }

  function addSvgButton(config) {
    const png = config.toImageButtonOptions;
    if (!png) return config;
    const svg = {
      name: "svg",
      title: "Download plot as SVG (vector, for slides)",
      icon: Plotly.Icons.disk,
      click: function (gd) {
        Plotly.downloadImage(gd, {format: "svg", filename: png.filename,
                                  width: png.width, height: png.height});
      },
    };
    return Object.assign({}, config, {modeBarButtonsToAdd: [svg]});
  }

  async function draw(args) {
    const spec = typeof args.spec === "string" ? args.spec : decoder.decode(args.spec);
    if (spec === lastSpec) {
      // A rerun that did not change this figure (another widget moved): a redraw would
      // cost as much as a real one, since Plotly.react sees new arrays.
      if (window.emDragRender) window.emDragRender(chart, args);  // drag.js (issue 22)
      document.body.dataset.drawn = args.revision;
      return;
    }
    // The text alternative changes with the figure, before it is drawn (a live region:
    // a screen reader says the new one).
    if (alt.textContent !== (args.description || "")) alt.textContent = args.description || "";
    const figure = JSON.parse(spec);
    const layout = figure.layout || {};
    setHeight(layout.height || 450);
    await Plotly.react(chart, figure.data || [], layout, withSvgButton(args.config || {}));
    lastSpec = spec;
    if (!bound) {
      chart.on("plotly_click", onClick);
      bound = true;
    }
    if (window.emDragRender) window.emDragRender(chart, args);  // drag.js (issue 22)
    // Tests and the click benchmark wait for this: the figure sent is on screen.
    document.body.dataset.drawn = args.revision;
  }

  async function drain() {
    if (drawing) return;
    drawing = true;
    try {
      while (pending) {
        const args = pending;
        pending = null;
        try {
          await draw(args);
        } catch (err) {
          document.body.dataset.error = String(err);
          console.error(err);
        }
      }
    } finally {
      drawing = false;
    }
  }

  window.addEventListener("message", function (event) {
    const data = event.data;
    if (!data || data.type !== "streamlit:render") return;
    pending = data.args;
    drain();
  });
  post("streamlit:componentReady", {apiVersion: 1});
})();
