// Draws the forecast chart of one series with uPlot (served from wwwroot/lib/uplot, pinned by package-lock.json).
// The columns come from /data/runs/{runId}/chart?series=... (Dashboard/Services/ChartDataBuilder.cs). Drag to zoom
// on the time axis, double-click to reset (uPlot's cursor defaults). Text goes in with textContent only.
(function () {
  "use strict";
  const el = document.getElementById("forecast-chart");
  if (!el || typeof uPlot === "undefined") return;

  const colors = {
    history: "#4a5568",
    actual: "#111111",
    evaluation: "#dd6b20",
    forecast: "#2b6cb0",
    evaluationBand: "rgba(221, 107, 32, 0.18)",
    band: "rgba(43, 108, 176, 0.2)",
  };

  const count = (column) => column.reduce((n, v) => (v === null ? n : n + 1), 0);
  const percent = (level) => (Number.isFinite(level) ? Math.round(level * 100) + "%" : "");

  fetch(el.dataset.url, { headers: { Accept: "application/json" } })
    .then((response) => {
      if (!response.ok) throw new Error("the chart data request failed with HTTP " + response.status);
      return response.json();
    })
    .then((d) => {
      const interval = percent(d.lowLevel) + "–" + percent(d.highLevel);
      const options = {
        width: Math.max(320, el.clientWidth || 900),
        height: 380,
        cursor: { drag: { x: true, y: false } },
        scales: { x: { time: true } },
        series: [
          {},
          { label: "history", stroke: colors.history, width: 1.5 },
          { label: "actual", stroke: colors.actual, width: 2, points: { show: true, size: 4 } },
          { label: "evaluation forecast", stroke: colors.evaluation, width: 2, dash: [6, 4] },
          { label: "evaluation q" + interval.split("–")[0], stroke: colors.evaluationBand, width: 1 },
          { label: "evaluation q" + interval.split("–")[1], stroke: colors.evaluationBand, width: 1 },
          { label: "forecast", stroke: colors.forecast, width: 2 },
          { label: "forecast " + interval + " low", stroke: colors.band, width: 1 },
          { label: "forecast " + interval + " high", stroke: colors.band, width: 1 },
        ],
        bands: [
          { series: [5, 4], fill: colors.evaluationBand },
          { series: [8, 7], fill: colors.band },
        ],
        hooks: {
          setScale: [
            (u, key) => {
              if (key !== "x") return;
              el.dataset.xMin = String(u.scales.x.min);
              el.dataset.xMax = String(u.scales.x.max);
            },
          ],
        },
      };
      const data = [d.x, d.history, d.actual, d.evaluationMean, d.evaluationLow, d.evaluationHigh, d.mean, d.low, d.high];
      const plot = new uPlot(options, data, el);
      // What the browser tests check: how many points were handed to uPlot and of which kind.
      el.dataset.points = String(plot.data[0].length);
      el.dataset.historyPoints = String(count(d.history));
      el.dataset.forecastPoints = String(count(d.mean));
      el.dataset.actualPoints = String(count(d.actual));
      el.dataset.state = "drawn";
      if (d.note) {
        const note = document.getElementById("chart-note");
        note.textContent = "History not drawn: " + d.note + ".";
        note.hidden = false;
      }
      window.addEventListener("resize", () => plot.setSize({ width: Math.max(320, el.clientWidth), height: 380 }));
    })
    .catch((error) => {
      el.dataset.state = "failed";
      el.textContent = "The chart cannot be drawn: " + error.message;
    });
})();
