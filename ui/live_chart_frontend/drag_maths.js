// The maths of "Grab a component" (issue 22), apart from the page machinery (drag.js):
// the E-step in log space (log-sum-exp, the covariance's Cholesky factor), the γ colour
// blend, the principal axes of a 2×2 covariance, ellipses, and what a handle may do under
// each covariance type. Pure functions on window.emDragMaths (browser tests read their
// results through drag.js's window.emDrag).
(function () {
  "use strict";
  const LOG_2PI = Math.log(2 * Math.PI);
  // ---------------------------------------------------------------------------------------
  // The E-step: γ_iz ∝ π_z N(x_i | μ_z, Σ_z) in log space; log L; the ELBO of the γ in force.

  function cholesky(cov, d) {
    // Σ = L Lᵀ for d = 1 or 2: L = [[a, 0], [b, c]]; returns null if not positive-definite.
    if (d === 1) return cov[0] > 0 ? {a: Math.sqrt(cov[0])} : null;
    const a2 = cov[0];
    if (!(a2 > 0)) return null;
    const a = Math.sqrt(a2), b = cov[1] / a, c2 = cov[3] - b * b;
    return c2 > 0 ? {a: a, b: b, c: Math.sqrt(c2)} : null;
  }

  function eStep(X, n, d, p, gammaOld) {
    const K = p.weights.length;
    const lp = new Float64Array(n * K);
    for (let k = 0; k < K; k++) {
      const L = cholesky(p.covs[k], d);
      if (!L) return null;
      const m0 = p.means[k][0];
      if (d === 1) {
        const c0 = Math.log(p.weights[k]) - 0.5 * LOG_2PI - Math.log(L.a);
        for (let i = 0; i < n; i++) {
          const z = (X[i] - m0) / L.a;
          lp[i * K + k] = c0 - 0.5 * z * z;
        }
      } else {
        const m1 = p.means[k][1];
        const c0 = Math.log(p.weights[k]) - LOG_2PI - Math.log(L.a) - Math.log(L.c);
        for (let i = 0; i < n; i++) {
          const z0 = (X[2 * i] - m0) / L.a;
          const z1 = (X[2 * i + 1] - m1 - L.b * z0) / L.c;
          lp[i * K + k] = c0 - 0.5 * (z0 * z0 + z1 * z1);
        }
      }
    }
    const gamma = new Float64Array(n * K);
    let logL = 0, elbo = 0;
    for (let i = 0; i < n; i++) {
      let top = -Infinity;
      for (let k = 0; k < K; k++) top = Math.max(top, lp[i * K + k]);
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp(lp[i * K + k] - top);
      const lse = top + Math.log(s);
      logL += lse;
      for (let k = 0; k < K; k++) {
        gamma[i * K + k] = Math.exp(lp[i * K + k] - lse);
        if (gammaOld) {
          const g = gammaOld[i * K + k];
          if (g > 0) elbo += g * (lp[i * K + k] - Math.log(g));
        }
      }
    }
    return {gamma: gamma, logL: logL, elbo: gammaOld ? elbo : null};
  }

  function blend(gamma, n, K, rgb) {
    // The γ-weighted mix of the component colours (ui.palette.blend).
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < K; k++) {
        const w = gamma[i * K + k];
        r += w * rgb[k][0]; g += w * rgb[k][1]; b += w * rgb[k][2];
      }
      const v = (Math.min(255, Math.max(0, Math.round(r))) << 16)
              | (Math.min(255, Math.max(0, Math.round(g))) << 8)
              | Math.min(255, Math.max(0, Math.round(b)));
      out[i] = "#" + v.toString(16).padStart(6, "0");
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // Geometry: principal axes of a 2×2 covariance, ellipses, the handles' constraints.

  function axes(cov, type) {
    // [{len, dir}] for the two handles: the principal axes (full, tied); x and y (diag);
    // one radius along x and y (spherical).
    if (type === "diag" || type === "spherical") {
      return [{len: Math.sqrt(cov[0]), dir: [1, 0]}, {len: Math.sqrt(cov[3]), dir: [0, 1]}];
    }
    const p = cov[0], q = cov[1], r = cov[3];
    const mid = (p + r) / 2, rad = Math.hypot((p - r) / 2, q);
    const t = 0.5 * Math.atan2(2 * q, p - r);
    return [{len: Math.sqrt(Math.max(mid + rad, 0)), dir: [Math.cos(t), Math.sin(t)]},
            {len: Math.sqrt(Math.max(mid - rad, 0)), dir: [-Math.sin(t), Math.cos(t)]}];
  }

  function covFromAxes(a1, a2) {
    // Σ = s1² v1 v1ᵀ + s2² v2 v2ᵀ (v2 ⟂ v1).
    const [x, y] = a1.dir, s1 = a1.len * a1.len, s2 = a2.len * a2.len;
    return [s1 * x * x + s2 * y * y, (s1 - s2) * x * y, (s1 - s2) * x * y,
            s1 * y * y + s2 * x * x];
  }

  function ellipse(mean, cov, type, sigma, nPoints) {
    const [a1, a2] = axes(cov, type);
    const xs = new Array(nPoints), ys = new Array(nPoints);
    for (let j = 0; j < nPoints; j++) {
      const t = 2 * Math.PI * j / (nPoints - 1), c = Math.cos(t), s = Math.sin(t);
      xs[j] = mean[0] + sigma * (a1.len * c * a1.dir[0] + a2.len * s * a2.dir[0]);
      ys[j] = mean[1] + sigma * (a1.len * c * a1.dir[1] + a2.len * s * a2.dir[1]);
    }
    return [xs, ys];
  }

  function moved(p, spec, drag, at) {
    // New parameters for the pointer at data point ``at``, within the covariance type.
    const k = drag.component, d = spec.d, type = spec.covariance_type;
    const out = {weights: p.weights.slice(), means: p.means.map(m => m.slice()),
                 covs: p.covs.map(c => c.slice())};
    if (drag.handle === "mean") {
      out.means[k] = d === 1 ? [at[0]] : [at[0], at[1]];
      return out;
    }
    const floor = spec.min_sigma;
    const mu = p.means[k];
    let cov;
    if (d === 1) {
      const s = Math.max(Math.abs(at[0] - mu[0]), floor);
      cov = [s * s];
    } else {
      const dx = at[0] - mu[0], dy = at[1] - mu[1];
      const [a1, a2] = axes(p.covs[k], type);
      const which = drag.handle === "axis1" ? 0 : 1;
      if (type === "spherical") {
        const s = Math.max(Math.hypot(dx, dy), floor);
        cov = [s * s, 0, 0, s * s];
      } else if (type === "diag") {
        const s = Math.max(Math.abs(which === 0 ? dx : dy), floor);
        cov = which === 0 ? [s * s, 0, 0, p.covs[k][3]] : [p.covs[k][0], 0, 0, s * s];
      } else {
        const len = Math.max(Math.hypot(dx, dy), floor);
        const u = len > 0 ? [dx / Math.hypot(dx, dy) || 1, dy / Math.hypot(dx, dy) || 0]
                          : [1, 0];
        cov = which === 0
          ? covFromAxes({len: len, dir: u}, {len: a2.len, dir: [-u[1], u[0]]})
          : covFromAxes({len: a1.len, dir: [u[1], -u[0]]}, {len: len, dir: u});
      }
    }
    if (type === "tied") out.covs = out.covs.map(() => cov.slice());
    else out.covs[k] = cov;
    return out;
  }

  function normalPdf(x, m, s) {
    const z = (x - m) / s;
    return Math.exp(-0.5 * z * z) / (s * Math.sqrt(2 * Math.PI));
  }

  window.emDragMaths = {eStep: eStep, blend: blend, axes: axes, ellipse: ellipse,
                        moved: moved, normalPdf: normalPdf};
})();
