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

  // With dragmode off (a phone's charts: a swipe scrolls the page), Plotly answers a tap
  // with the point of the last hover, which on a touch screen is the previous tap's: so the
  // tap's own point is found here, the nearest of the same trace to the finger (in x alone
  // when the chart hovers by x).
  // The last finger lifted from the chart: Plotly does not always answer a tap with a
  // touch click (on a second tap only the browser's mouse echo of it came, whose hover sat
  // 0.25 axis units off), so a click soon after a tap is read from the finger's position.
  let lastTap = null;
  let answeredTap = null;
  // The axes as drawn when the finger came down: during a tap Plotly can lay the chart out
  // again (measured: the x axis 314 px long at the touch, 273 px at the click), and the
  // finger aimed at what was drawn.
  let axesAtTouch = null;
  function axesNow() {
    const layout = chart._fullLayout, axes = {};
    for (const name of Object.keys(layout || {})) {
      const ax = layout[name];
      if (/^[xy]axis\d*$/.test(name) && ax && typeof ax._m === "number") {
        axes[name] = {m: ax._m, b: ax._b, offset: ax._offset};
      }
    }
    return axes;
  }
  chart.addEventListener("touchstart", () => {
    axesAtTouch = axesNow();
  }, {capture: true, passive: true});
  chart.addEventListener("touchend", (e) => {
    const t = e.changedTouches && e.changedTouches[0];
    if (t) {
      lastTap = {clientX: t.clientX, clientY: t.clientY, time: performance.now(),
                 axes: axesAtTouch};
    }
  }, {capture: true, passive: true});  // before Plotly's own handlers
  // A mouse click is read the same way, from where the button went down on the axes as
  // drawn then: Plotly answers with its last hover point, and a redraw between the hover
  // and the click (a rerun after the previous click) can leave that point a few pixels
  // off (seen: 8 px, 0.2 axis units, under a busy CPU).
  let lastPress = null;
  chart.addEventListener("mousedown", (e) => {
    lastPress = {clientX: e.clientX, clientY: e.clientY, axes: axesNow()};
  }, {capture: true, passive: true});

  function tappedPoint(touch, point) {
    const layout = chart._fullLayout;
    if (!touch || !layout || !chart._fullData) return point;
    const box = chart.getBoundingClientRect();
    const byX = layout.hovermode === "x";
    // The stale point's trace number may name another trace once the figure changed: look
    // in every trace that answers clicks (the ones with customdata).
    let best = null, bestDistance = Infinity;
    chart._fullData.forEach((trace, curve) => {
      if (!trace.x || !trace.customdata || trace.visible !== true) return;
      const xname = (trace.xaxis || "x").replace("x", "xaxis");
      const yname = (trace.yaxis || "y").replace("y", "yaxis");
      const at = touch.axes || {};
      const live = (name) => ({m: layout[name]._m, b: layout[name]._b,
                               offset: layout[name]._offset});
      const xa = at[xname] || live(xname), ya = at[yname] || live(yname);
      const px = touch.clientX - box.left - xa.offset;
      const py = touch.clientY - box.top - ya.offset;
      for (let i = 0; i < trace.x.length; i++) {
        const dx = xa.b + xa.m * trace.x[i] - px;  // a linear axis: l2p(v) = b + m v
        const dy = byX || !trace.y ? 0 : ya.b + ya.m * trace.y[i] - py;
        const distance = dx * dx + dy * dy;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = {curveNumber: curve, pointNumber: i, customdata: trace.customdata[i]};
        }
      }
    });
    return best || point;
  }

  function onClick(event) {
    let point = event && event.points && event.points[0];
    if (!point) return;
    // A tap fires Plotly's click twice: from the touch, then from the mouse events the
    // browser sends after it, whose hover Plotly places up to 0.3 axis units off (seen at
    // 390 px in Chromium's touch emulation). The touch's click is the tap; drop the echo.
    const type = (event.event && event.event.type) || "";
    const now = performance.now();
    if (lastTap && now - lastTap.time < 1000) {
      if (lastTap === answeredTap) return;  // this tap was answered already: an echo
      answeredTap = lastTap;
      lastTouch = now;
      point = tappedPoint(lastTap, point);
    } else if (type.startsWith("touch")) {
      lastTouch = now;
    } else if (now - lastTouch < 1000) {
      return;
    } else if (lastPress) {
      point = tappedPoint(lastPress, point);
      lastPress = null;
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
