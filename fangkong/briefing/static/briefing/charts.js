// Charts of the daily briefing (ECharts), drawn from the stored figures in #charts.
// The curve is by onset date (local and imported stacked) with the report date as a
// second series; days whose onsets are not yet all reported are shaded.
(function () {
  var data = JSON.parse(document.getElementById("charts").textContent);
  var L = data.labels || {};
  var LEGEND = { bottom: 0 }, GRID = { left: 8, right: 24, top: 36, bottom: 96, containLabel: true };
  // Days as month-day: the last one fits at the right edge of a phone's chart.
  var DAYS = { type: "category", axisLabel: { hideOverlap: true, formatter: function (d) { return String(d).slice(5); } } };
  // No drawing in motion for those who asked the system for less of it.
  var STILL = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var SHADE = "rgba(0,0,0,0.12)";
  function axis(days) { return Object.assign({}, DAYS, { data: days }); }
  if (data.curve && document.getElementById("curve")) {
    var cv = data.curve, series;
    if (cv.basis === "onset" && cv.onset_local) {
      var report = cv.local.map(function (v, i) { return v + cv.imported[i]; });
      // The shaded days are named in a key above the plot, never written over the bars.
      var shade = cv.truncated_from ? { silent: true, itemStyle: { color: SHADE }, label: { show: false },
        data: [[{ xAxis: cv.truncated_from }, { xAxis: cv.days[cv.days.length - 1] }]] } : undefined;
      var key = cv.truncated_from && L.incomplete ? [{ type: "group", left: 8, top: 4, id: "incomplete", children: [
        { type: "rect", shape: { x: 0, y: 0, width: 14, height: 14 }, style: { fill: SHADE } },
        { type: "text", x: 20, y: 1, style: { text: L.incomplete, fill: "#4a5263", font: "12px sans-serif" } }
      ] }] : [];
      series = [
        { name: L.onset_local || "local", type: "bar", stack: "c", data: cv.onset_local, itemStyle: { color: "#8f1d1d" }, markArea: shade },
        { name: L.onset_imported || "imported", type: "bar", stack: "c", data: cv.onset_imported, itemStyle: { color: "#fc8d59" } },
        { name: L.report || "report", type: "line", data: report, itemStyle: { color: "#4575b4" } }
      ];
    } else {
      series = [
        { name: L.local || "local", type: "bar", stack: "c", data: cv.local, itemStyle: { color: "#8f1d1d" } },
        { name: L.imported || "imported", type: "bar", stack: "c", data: cv.imported, itemStyle: { color: "#fc8d59" } },
        { name: L.average7 || "7d", type: "line", data: cv.average7, showSymbol: false }
      ];
      if (Array.isArray(cv.onset)) series.push({ name: L.onset || "onset", type: "line", data: cv.onset });
    }
    var days = cv.days.slice();
    if (data.forecast) {
      days = days.concat(data.forecast.days);
      var pad = cv.days.map(function () { return null; });
      series.push({ name: L.forecast || "forecast", type: "line", data: pad.concat(data.forecast.median), lineStyle: { type: "dashed" } });
      series.push({ name: L.band || "90%", type: "line", data: pad.concat(data.forecast.high), lineStyle: { opacity: 0.3 }, showSymbol: false });
    }
    // On a phone the legend wraps to two or three lines: below the plot, with room kept
    // for it and the dates, so neither covers the other.
    echarts.init(document.getElementById("curve")).setOption({
      animation: !STILL, tooltip: { trigger: "axis" }, legend: LEGEND, grid: GRID, xAxis: axis(days),
      yAxis: { type: "value", minInterval: 1 }, series: series, graphic: key || []
    });
  }
  if (data.rt && document.getElementById("rt")) {
    var s = data.rt.series;
    var cut = s.findIndex(function (r) { return r.right_truncated; });
    var full = s.map(function (r, i) { return cut < 0 || i < cut ? r.mean : null; });
    var late = s.map(function (r, i) { return cut >= 0 && i >= cut - 1 ? r.mean : null; });
    var band = "95% " + (L.rt_band || ""), late_name = L.rt_incomplete || "Rt*";
    echarts.init(document.getElementById("rt")).setOption({
      animation: !STILL, tooltip: { trigger: "axis" }, grid: GRID,
      // the lower bound only carries the band: not a line of its own in the legend
      legend: { bottom: 0, data: ["Rt", band, late_name] }, xAxis: axis(s.map(function (r) { return r.day; })),
      yAxis: { type: "value", name: "Rt" },
      series: [
        { name: L.rt_low || "low", type: "line", data: s.map(function (r) { return r.low; }), lineStyle: { opacity: 0 }, stack: "ci", showSymbol: false },
        { name: band, type: "line", data: s.map(function (r) { return r.low === null ? null : r.high - r.low; }), lineStyle: { opacity: 0 }, areaStyle: { color: "#f4c7c3" }, stack: "ci", showSymbol: false },
        { name: "Rt", type: "line", data: full, itemStyle: { color: "#8f1d1d" },
          markLine: { data: [{ yAxis: 1 }], symbol: "none" } },
        { name: late_name, type: "line", data: late, itemStyle: { color: "#999" }, lineStyle: { type: "dashed" } }
      ]
    });
  }
})();
