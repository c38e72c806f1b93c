// Price series of one basket item against its baseline (ECharts from node_modules).
(function () {
  function draw() {
    var box = document.getElementById("price-chart");
    var select = document.getElementById("price-item");
    if (!box || !select || !window.echarts) return;
    var chart = window.echarts.init(box);
    function load() {
      fetch(box.dataset.url + "?item=" + encodeURIComponent(select.value), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (d) {
          chart.setOption({
            title: {text: d.item, left: "center", textStyle: {fontSize: 14}},
            tooltip: {trigger: "axis"},
            legend: {bottom: 0},
            xAxis: {type: "category", data: d.days},
            yAxis: {type: "value", scale: true},
            series: [
              {name: box.dataset.price, type: "line", data: d.price},
              {name: box.dataset.baseline, type: "line", data: d.baseline, lineStyle: {type: "dashed"}}
            ]
          }, true);
        });
    }
    select.addEventListener("change", load);
    window.addEventListener("resize", function () { chart.resize(); });
    load();
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
