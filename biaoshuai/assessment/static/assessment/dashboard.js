/* The leading group dashboard's charts (data from json_script "dashboard-charts"). */
(function () {
  "use strict";
  if (!document.getElementById("dashboard-charts")) { return; }
  var data = JSON.parse(document.getElementById("dashboard-charts").textContent);
  var charts = [];
  function make(id, option, onClick) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el);
    chart.setOption(option);
    if (onClick) { chart.on("click", onClick); }
    charts.push(chart);
  }
  var narrow = window.innerWidth < 576;
  if (data.ranking && data.ranking.units.length) {
    var r = data.ranking;
    var shown = narrow ? 12 : 20;
    make("chart-ranking", {
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      legend: {top: 0, type: "scroll"},
      grid: {left: 4, right: 30, top: 30, bottom: 4, containLabel: true},
      xAxis: {type: "value", max: 100},
      yAxis: {type: "category", data: r.units, inverse: true, axisLabel: {width: narrow ? 70 : 120, overflow: "truncate"}},
      dataZoom: r.units.length > shown ? [{type: "slider", yAxisIndex: 0, right: 0, width: 14, startValue: 0, endValue: shown - 1, showDetail: false}, {type: "inside", yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true}] : [],
      series: r.series.map(function (s) { return {name: s.name, type: "bar", stack: "points", data: s.data}; })
    }, function (p) {
      window.location = data.unit_url.replace("/0/", "/" + r.ids[p.dataIndex] + "/") + "?" + data.period_query;
    });
  }
  if (data.trend.months.length) {
    var series = [{name: data.mean_label, type: "line", data: data.trend.mean, lineStyle: {width: 3}}];
    data.trend.series.forEach(function (s) { series.push({name: s.name, type: "line", data: s.data, symbolSize: 5, showSymbol: true}); });
    make("chart-trend", {
      tooltip: {trigger: "axis"},
      legend: {top: 0, type: "scroll"},
      grid: {left: 4, right: 12, top: 30, bottom: 4, containLabel: true},
      xAxis: {type: "category", data: data.trend.months},
      yAxis: {type: "value", min: 0, max: 100},
      series: series
    });
  }
  data.breakdowns.forEach(function (b, i) {
    make("chart-breakdown-" + i, {
      tooltip: {trigger: "item", formatter: "{b}: {c} ({d}%)"},
      legend: {bottom: 0, type: "scroll"},
      series: [{type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: b.data, label: {formatter: "{b}\n{c}"}}]
    }, b.url ? function () { window.location = b.url; } : null);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
