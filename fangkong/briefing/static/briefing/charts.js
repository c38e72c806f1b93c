// Charts of the daily briefing (ECharts), drawn from the stored figures in #charts.
(function () {
  var data = JSON.parse(document.getElementById("charts").textContent);
  if (data.curve && document.getElementById("curve")) {
    var series = [
      { name: "local", type: "bar", stack: "c", data: data.curve.local, itemStyle: { color: "#8f1d1d" } },
      { name: "imported", type: "bar", stack: "c", data: data.curve.imported, itemStyle: { color: "#fc8d59" } },
      { name: "7d", type: "line", data: data.curve.average7, showSymbol: false }
    ];
    if (data.curve.onset) series.push({ name: "onset", type: "line", data: data.curve.onset });
    var days = data.curve.days.slice();
    if (data.forecast) {
      days = days.concat(data.forecast.days);
      var pad = data.curve.days.map(function () { return null; });
      series.push({ name: "forecast", type: "line", data: pad.concat(data.forecast.median), lineStyle: { type: "dashed" } });
      series.push({ name: "90%", type: "line", data: pad.concat(data.forecast.high), lineStyle: { opacity: 0.3 }, showSymbol: false });
    }
    echarts.init(document.getElementById("curve")).setOption({
      tooltip: { trigger: "axis" }, legend: {}, xAxis: { type: "category", data: days },
      yAxis: { type: "value", minInterval: 1 }, series: series
    });
  }
  if (data.rt && document.getElementById("rt")) {
    var s = data.rt.series;
    echarts.init(document.getElementById("rt")).setOption({
      tooltip: { trigger: "axis" }, xAxis: { type: "category", data: s.map(function (r) { return r.day; }) },
      yAxis: { type: "value", name: "Rt" },
      series: [
        { name: "low", type: "line", data: s.map(function (r) { return r.low; }), lineStyle: { opacity: 0 }, stack: "ci", showSymbol: false },
        { name: "95%", type: "line", data: s.map(function (r) { return r.high - r.low; }), lineStyle: { opacity: 0 }, areaStyle: { color: "#f4c7c3" }, stack: "ci", showSymbol: false },
        { name: "Rt", type: "line", data: s.map(function (r) { return r.mean; }), itemStyle: { color: "#8f1d1d" },
          markLine: { data: [{ yAxis: 1 }], symbol: "none" } }
      ]
    });
  }
})();
