/* A unit's total score month by month (data from json_script "history-data"). */
(function () {
  "use strict";
  var source = document.getElementById("history-data");
  var el = document.getElementById("history-chart");
  if (!source || !el) { return; }
  var data = JSON.parse(source.textContent);
  if (!data.months || !data.months.length) { return; }
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: {trigger: "axis"},
    grid: {left: 4, right: 8, top: 8, bottom: 4, containLabel: true},
    xAxis: {type: "category", data: data.months},
    yAxis: {type: "value", min: 0, max: 100},
    series: [{type: "line", data: data.totals, smooth: true, showSymbol: true, symbolSize: 6, areaStyle: {opacity: 0.15}}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
