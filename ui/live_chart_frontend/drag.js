// "Grab a component" (issue 22): drag a mean, stretch and turn a 1σ ellipse (or drag a 1-D
// curve's μ and σ), and the chart answers at once: an E-step in the browser (log space,
// log-sum-exp, the covariance's Cholesky factor) recolours the points by the γ of the
// dragged parameters and gives log L and the lower bound. On release the parameters go to
// the server, which makes them a history record (EMEngine.set_parameters).
//
// main.js calls window.emDragRender(chart, args) after every figure; with no args.drag
// (grab mode off) this removes its layer and does nothing else, so nobody dragging costs
// nothing. What it computed is on window.emDrag (browser tests read γ and log L there).
(function () {
  "use strict";
  const {eStep, blend, axes, ellipse, moved, normalPdf} = window.emDragMaths;  // drag_maths.js
  const state = {spec: null, gd: null, params: null, layer: null, handles: [], readout: null,
                 drag: null, frame: 0, seq: 0, gammaOld: null, X: null};
  window.emDrag = {updates: 0, times: [], gamma: null, logL: null, elbo: null, params: null,
                   revision: null, source: null, active: false};

  function f64(value) {
    // A bytes argument arrives as a Uint8Array; copy it so the Float64Array is aligned.
    if (!value) return null;
    const bytes = value instanceof Uint8Array ? value : new Uint8Array(value);
    return new Float64Array(bytes.slice().buffer);
  }

  // ---------------------------------------------------------------------------------------
  // Pixels and data: the chart's own axes (Plotly's linear-axis maps).

  function toPixel(gd, x, y, yaxis) {
    const fl = gd._fullLayout, xa = fl.xaxis, ya = fl[yaxis || "yaxis"];
    return [xa._offset + xa.l2p(x), ya._offset + ya.l2p(y)];
  }

  function toData(gd, px, py, yaxis) {
    const fl = gd._fullLayout, xa = fl.xaxis, ya = fl[yaxis || "yaxis"];
    return [xa.p2l(px - xa._offset), ya.p2l(py - ya._offset)];
  }

  function handlePoints(spec, p) {
    // [{component, handle, x, y, yaxis}] in data coordinates.
    const out = [];
    for (let k = 0; k < p.weights.length; k++) {
      const mu = p.means[k];
      if (spec.d === 1) {
        const s = Math.sqrt(p.covs[k][0]);
        const top = p.weights[k] * normalPdf(mu[0], mu[0], s);
        out.push({component: k, handle: "mean", x: mu[0], y: top});
        out.push({component: k, handle: "sigma", x: mu[0] + s,
                  y: p.weights[k] * normalPdf(mu[0] + s, mu[0], s)});
        continue;
      }
      out.push({component: k, handle: "mean", x: mu[0], y: mu[1]});
      const [a1, a2] = axes(p.covs[k], spec.covariance_type);
      out.push({component: k, handle: "axis1", x: mu[0] + a1.len * a1.dir[0],
                y: mu[1] + a1.len * a1.dir[1]});
      out.push({component: k, handle: "axis2", x: mu[0] + a2.len * a2.dir[0],
                y: mu[1] + a2.len * a2.dir[1]});
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // Drawing: restyle only the traces that change (points' colours, ellipses, means, curves).

  function traceUpdate(spec, p, result) {
    const idx = [], x = [], y = [], color = [];
    const add = (i, xs, ys, cs) => { idx.push(i); x.push(xs); y.push(ys); color.push(cs); };
    const K = p.weights.length;
    const colors = result ? blend(result.gamma, spec.n, K, spec.rgb) : undefined;
    if (spec.d === 2) {
      if (spec.points >= 0 && colors) add(spec.points, undefined, undefined, colors);
      for (const e of spec.ellipses) {
        const [xs, ys] = ellipse(p.means[e.component], p.covs[e.component],
                                 spec.covariance_type, e.sigma, 72);
        add(e.index, xs, ys, undefined);
      }
      spec.mean_traces.forEach((i, k) => add(i, [p.means[k][0]], [p.means[k][1]], undefined));
    } else {
      const grid = spec.grid, total = new Array(grid.length).fill(0);
      const gammaGrid = grid.map(() => new Array(K).fill(0));
      spec.curves.forEach((i, k) => {
        const s = Math.sqrt(p.covs[k][0]);
        const ys = grid.map(g => p.weights[k] * normalPdf(g, p.means[k][0], s));
        ys.forEach((v, j) => { total[j] += v; gammaGrid[j][k] = v; });
        add(i, undefined, ys, undefined);
      });
      if (spec.mixture >= 0) add(spec.mixture, undefined, total, undefined);
      spec.gamma_bands.forEach((i, k) =>
        add(i, undefined, gammaGrid.map((row, j) => total[j] > 0 ? row[k] / total[j] : 1 / K),
            undefined));
      if (spec.points >= 0 && colors) add(spec.points, undefined, undefined, colors);
    }
    return [{x: x, y: y, "marker.color": color}, idx];
  }

  function fmt(v) {
    return v === null || v === undefined ? "—"
      : v.toLocaleString("en-US", {minimumFractionDigits: 1, maximumFractionDigits: 1});
  }

  function showReadout(result, hint) {
    if (!state.readout) return;
    const s = state.spec;
    if (hint) {
      state.readout.textContent = hint;
      return;
    }
    if (!result) {
      state.readout.textContent = "Not a valid Gaussian here: move the handle back.";
      return;
    }
    const diff = result.logL - s.log_likelihood;
    let text = "log L " + fmt(result.logL) + " (" + (diff >= 0 ? "+" : "−")
      + fmt(Math.abs(diff)) + " vs the half-step shown)";
    if (result.elbo !== null) text += " · lower bound " + fmt(result.elbo);
    state.readout.textContent = text;
  }

  function compute(p) {
    const s = state.spec;
    const result = eStep(state.X, s.n, s.d, p, state.gammaOld);
    const ed = window.emDrag;
    if (result) {
      ed.gamma = result.gamma; ed.logL = result.logL; ed.elbo = result.elbo;
    }
    ed.params = p;
    return result;
  }

  // 2-D while dragging: Plotly's ellipse and mean traces are hidden and drawn here, in the
  // layer's SVG (a Plotly.restyle of their x/y recalculates every trace: 45-130 ms a frame
  // at 600 points on this machine); the points are recoloured in place (SVG markers: their
  // fill; WebGL markers: a restyle of marker.color only).
  const SVG = "http://www.w3.org/2000/svg";

  function ensureOverlay() {
    if (state.svg) return state.svg;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("id", "drag-shapes");
    svg.style.cssText = "position:absolute;left:0;top:0;width:100%;height:100%;"
      + "pointer-events:none;overflow:hidden";
    state.layer.insertBefore(svg, state.layer.firstChild);
    state.svg = svg;
    return svg;
  }

  function clearOverlay() {
    if (state.svg) state.svg.remove();
    state.svg = null;
  }

  function drawOverlay(p) {
    const svg = ensureOverlay(), s = state.spec, gd = state.gd;
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    svg.innerHTML = "";
    const clip = `<clipPath id="drag-clip"><rect x="${xa._offset}" y="${ya._offset}" `
      + `width="${xa._length}" height="${ya._length}"/></clipPath>`;
    let html = "<defs>" + clip + "</defs><g clip-path=\"url(#drag-clip)\">";
    const sigmas = [...new Set(s.ellipses.map(e => e.sigma))].sort((a, b) => b - a);
    for (let k = 0; k < p.weights.length; k++) {
      const color = s.colors[k];
      for (const sigma of sigmas) {
        const [xs, ys] = ellipse(p.means[k], p.covs[k], s.covariance_type, sigma, 72);
        const d = xs.map((x, j) => {
          const [px, py] = toPixel(gd, x, ys[j]);
          return (j ? "L" : "M") + px.toFixed(1) + "," + py.toFixed(1);
        }).join("") + "Z";
        const one = sigma === 1;
        html += `<path d="${d}" fill="${color}" fill-opacity="${one ? 0.14 : 0.06}" `
          + `stroke="${color}" stroke-width="${one ? 2.5 : 1.5}" `
          + (one ? "" : "stroke-dasharray=\"3,3\" ") + "/>";
      }
      const [mx, my] = toPixel(gd, p.means[k][0], p.means[k][1]);
      html += `<path d="M${mx - 6},${my - 6}L${mx + 6},${my + 6}M${mx - 6},${my + 6}`
        + `L${mx + 6},${my - 6}" stroke="${color}" stroke-width="3"/>`;
    }
    svg.innerHTML = html + "</g>";
  }

  function drawPoints(gamma, K) {
    // The points on a canvas under the layer's shapes, coloured by the γ blend (Plotly's
    // points trace is hidden while dragging: recolouring 5,000 WebGL markers through
    // Plotly.restyle redrew the whole chart, ≈ 300 ms a frame here).
    const s = state.spec, gd = state.gd, rgb = s.rgb;
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    let canvas = state.canvas;
    const ratio = window.devicePixelRatio || 1;
    const w = gd.clientWidth, h = gd.clientHeight;
    if (!canvas) {
      canvas = document.createElement("canvas");
      canvas.id = "drag-points";
      canvas.style.cssText = "position:absolute;left:0;top:0;pointer-events:none";
      state.layer.insertBefore(canvas, state.layer.firstChild);
      state.canvas = canvas;
    }
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
      canvas.style.width = w + "px";
      canvas.style.height = h + "px";
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.save();
    ctx.beginPath();
    ctx.rect(xa._offset, ya._offset, xa._length, ya._length);
    ctx.clip();
    ctx.globalAlpha = s.marker_opacity;
    const r = s.marker_size / 2, X = state.X;
    for (let i = 0; i < s.n; i++) {
      let cr = 0, cg = 0, cb = 0;
      for (let k = 0; k < K; k++) {
        const g = gamma[i * K + k];
        cr += g * rgb[k][0]; cg += g * rgb[k][1]; cb += g * rgb[k][2];
      }
      ctx.fillStyle = `rgb(${Math.round(cr)},${Math.round(cg)},${Math.round(cb)})`;
      ctx.beginPath();
      ctx.arc(xa._offset + xa.l2p(X[2 * i]), ya._offset + ya.l2p(X[2 * i + 1]), r, 0,
              2 * Math.PI);
      ctx.fill();
    }
    ctx.restore();
  }

  function clearPoints() {
    if (state.canvas) state.canvas.remove();
    state.canvas = null;
  }

  async function redraw2d(p, result) {
    drawOverlay(p);
    if (result && state.spec.points >= 0) drawPoints(result.gamma, p.weights.length);
  }

  async function hideTraces() {
    // Once per drag: Plotly's ellipses and means give way to the layer's.
    const s = state.spec;
    const hide = s.ellipses.map(e => e.index).concat(s.mean_traces.filter(i => i >= 0))
      .concat(s.points >= 0 ? [s.points] : []);
    state.hidden = hide;
    await Plotly.restyle(state.gd, {visible: false}, hide);
  }

  async function redraw(p) {
    const t0 = performance.now();
    const result = compute(p);
    if (state.spec.d === 2) {
      await redraw2d(p, result);
    } else {
      const [update, idx] = traceUpdate(state.spec, p, result);
      await Plotly.restyle(state.gd, update, idx);
    }
    window.emDrag.cost = performance.now() - t0;
    showReadout(result);
    placeHandles(p);
    window.emDrag.updates += 1;
    window.emDrag.times.push(performance.now());
    if (window.emDrag.times.length > 2000) window.emDrag.times.splice(0, 1000);
  }

  // ---------------------------------------------------------------------------------------
  // The handles' layer: above the plot, pointer events (mouse, pen, finger) on the handles
  // only, touch-action: none on them so a finger drags instead of scrolling the page.

  function ensureLayer(chart) {
    if (state.layer) return;
    const layer = document.createElement("div");
    layer.id = "drag-layer";
    layer.style.cssText = "position:absolute;left:0;top:0;width:100%;height:100%;"
      + "pointer-events:none;touch-action:none;";
    const readout = document.createElement("div");
    readout.id = "drag-readout";
    readout.setAttribute("role", "status");
    readout.style.cssText = "position:absolute;left:0;top:0;font:13px Inter,Segoe UI,Arial,"
      + "sans-serif;color:#31333F;background:rgba(255,255,255,.85);padding:2px 6px;"
      + "border-radius:4px;pointer-events:none;box-sizing:border-box;";
    layer.appendChild(readout);
    document.body.style.position = "relative";
    chart.parentNode.appendChild(layer);
    state.layer = layer;
    state.readout = readout;
  }

  function removeLayer() {
    clearOverlay();
    clearPoints();
    if (state.layer) state.layer.remove();
    state.layer = null; state.readout = null; state.handles = [];
    window.emDrag.active = false;
  }

  function makeHandle(h, color) {
    const el = document.createElement("div");
    const mean = h.handle === "mean";
    const size = mean ? 26 : 18;
    el.className = "drag-handle";
    el.dataset.component = String(h.component);
    el.dataset.handle = h.handle;
    el.title = mean ? `drag μ${h.component + 1}` : `stretch${state.spec.d === 2 ? " and turn" : ""}`
      + ` component ${h.component + 1}`;
    el.style.cssText = `position:absolute;width:${size}px;height:${size}px;margin:-${size / 2}px`
      + ` 0 0 -${size / 2}px;border-radius:50%;box-sizing:border-box;cursor:grab;`
      + "pointer-events:auto;touch-action:none;"
      + (mean ? `border:3px solid ${color};background:rgba(255,255,255,.35);`
              : `border:2px solid #fff;background:${color};box-shadow:0 0 0 1px #333;`);
    el.addEventListener("pointerdown", onDown);
    el.addEventListener("pointermove", onMove);
    el.addEventListener("pointerup", onUp);
    el.addEventListener("pointercancel", onUp);
    state.layer.appendChild(el);
    return el;
  }

  function placeHandles(p) {
    const s = state.spec, gd = state.gd;
    if (!state.layer || !gd._fullLayout || !gd._fullLayout.xaxis) return;
    const points = handlePoints(s, p);
    if (state.handles.length !== points.length) {
      state.handles.forEach(h => h.remove());
      state.handles = points.map(h => makeHandle(h, s.colors[h.component]));
    }
    const fl = gd._fullLayout, xa = fl.xaxis, ya = fl.yaxis;
    const box = [xa._offset, xa._offset + xa._length, ya._offset, ya._offset + ya._length];
    points.forEach((h, j) => {
      let [px, py] = toPixel(gd, h.x, h.y);
      const inside = px >= box[0] && px <= box[1];
      py = Math.min(Math.max(py, box[2]), box[3]);  // a 1-D peak above the axis: on its edge
      const el = state.handles[j];
      el.style.left = px + "px";
      el.style.top = py + "px";
      el.style.display = inside ? "block" : "none";
    });
    state.readout.style.maxWidth = Math.max(xa._length - 8, 120) + "px";  // wraps on a phone
    state.readout.style.left = (xa._offset + 4) + "px";
    state.readout.style.top = (ya._offset + 4) + "px";
  }

  function pointerData(event) {
    const rect = state.gd.getBoundingClientRect();
    const px = event.clientX - rect.left, py = event.clientY - rect.top;
    return {px: px, py: py, at: toData(state.gd, px, py)};
  }

  function onDown(event) {
    const el = event.currentTarget;
    el.setPointerCapture(event.pointerId);
    event.preventDefault();
    const fl = state.gd._fullLayout;
    // Freeze the axes while dragging (an autorange would move them under the pointer).
    const frozen = {"xaxis.range": fl.xaxis.range.slice(), "yaxis.range": fl.yaxis.range.slice()};
    state.drag = {component: Number(el.dataset.component), handle: el.dataset.handle,
                  pointerId: event.pointerId, start: state.params, pending: null,
                  autorange: [fl.xaxis.autorange, fl.yaxis.autorange], last: null};
    state.ready = Plotly.relayout(state.gd, frozen)
      .then(() => (state.spec.d === 2 ? hideTraces() : null));
    window.emDrag.active = true;
    window.emDrag.source = "drag";
    el.style.cursor = "grabbing";
  }

  function onMove(event) {
    const drag = state.drag;
    if (!drag || event.pointerId !== drag.pointerId) return;
    event.preventDefault();
    const where = pointerData(event);
    drag.last = where;
    drag.pending = moved(drag.start, state.spec, drag, where.at);
    if (!state.frame) state.frame = requestAnimationFrame(frame);
  }

  async function frame() {
    const drag = state.drag;
    if (!drag || !drag.pending) { state.frame = 0; return; }
    await state.ready;
    if (!drag.pending) { state.frame = 0; return; }
    const p = drag.pending;
    drag.pending = null;
    state.params = p;
    await redraw(p);
    // Draw the newest position next frame (events that came while drawing are coalesced).
    state.frame = drag.pending ? requestAnimationFrame(frame) : 0;
  }

  function onUp(event) {
    const drag = state.drag;
    if (!drag || event.pointerId !== drag.pointerId) return;
    event.currentTarget.style.cursor = "grab";
    if (drag.last) {
      // The drop point itself, even if no frame drew it yet.
      state.params = moved(drag.start, state.spec, drag, drag.last.at);
    }
    state.drag = null;
    window.emDrag.active = false;
    const p = state.params;
    redraw(p);
    if (!drag.last) return;  // a press without a move: nothing changed
    // The axes unfreeze when the server's figure of the new record comes (emDragRender).
    state.unfreeze = drag.autorange;
    state.seq += 1;
    window.parent.postMessage({
      isStreamlitMessage: true, type: "streamlit:setComponentValue", dataType: "json",
      value: {drag: {component: drag.component, handle: drag.handle, at: drag.last.at,
                     pixel: [drag.last.px, drag.last.py], weights: p.weights,
                     means: p.means, covs: p.covs, revision: state.spec.revision},
              click: "drag-" + state.seq + "-" + Date.now()},
    }, "*");
  }

  // ---------------------------------------------------------------------------------------
  // Called by main.js after each figure is drawn.

  window.emDragRender = function (chart, args) {
    const spec = args && args.drag;
    if (!spec) {
      if (state.layer) removeLayer();
      state.spec = null;
      return;
    }
    if (state.drag) return;  // a rerun during a drag: the user's hand wins
    const fresh = !state.spec || state.spec.digest !== spec.digest;
    state.gd = chart;
    if (fresh) {
      clearOverlay();  // the new figure (Plotly.react) draws the components again
      clearPoints();
      state.hidden = null;
      const unfreeze = state.unfreeze;
      state.unfreeze = null;
      if (unfreeze && (unfreeze[0] || unfreeze[1])) {
        Plotly.relayout(chart, {"xaxis.autorange": !!unfreeze[0], "yaxis.autorange": !!unfreeze[1]});
      }
      state.spec = spec;
      state.X = f64(args.drag_x);
      state.gammaOld = f64(args.drag_gamma);
      state.params = {weights: spec.weights, means: spec.means, covs: spec.covs};
      ensureLayer(chart);
      if (!state.bound) {
        chart.on("plotly_afterplot", () => state.spec && placeHandles(state.params));
        state.bound = true;
      }
      compute(state.params);
      showReadout(null, spec.hint);
      window.emDrag.source = "server";
      window.emDrag.revision = spec.revision;
    }
    placeHandles(state.params);
  };
})();
