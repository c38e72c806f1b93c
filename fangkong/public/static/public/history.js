/* The bulletin history chart. A static file, not an inline script: the page is served
   from the cache, so it cannot carry a per-response CSP nonce. */
addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var s = JSON.parse(document.getElementById("series").textContent);
  var names = JSON.parse(document.getElementById("series-names").textContent);
  echarts.init(document.getElementById("chart")).setOption({
    tooltip: {trigger: "axis"}, legend: {data: [names.new, names.total], top: 0},
    grid: {left: 36, right: 12, top: 36, bottom: 24},
    // "12-07", not "2026-12-07": the days of the bulletins' titles, readable on a phone
    xAxis: {type: "category", data: s.days.map(function (d) { return d.slice(5); })},
    yAxis: {type: "value"},
    series: [{name: names.new, type: "bar", data: s.new},
             {name: names.total, type: "line", data: s.total}]
  });
});
