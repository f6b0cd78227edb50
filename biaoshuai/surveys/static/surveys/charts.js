/* Questionnaire result charts: one per question (json_script "survey-charts") and, when
   rounds are compared, the satisfaction index per round (json_script "index-chart"). */
(function () {
  "use strict";
  var questions = document.getElementById("survey-charts");
  if (questions) {
    JSON.parse(questions.textContent).forEach(function (spec) {
      var el = document.getElementById("chart-" + spec.id);
      if (!el) { return; }
      var chart = echarts.init(el);
      var stacked = spec.kind === "matrix";
      var line = spec.kind === "index";
      chart.setOption({
        tooltip: {trigger: "axis"},
        legend: spec.series.length > 1 ? {top: 0, type: "scroll"} : undefined,
        grid: {left: 8, right: 24, top: spec.series.length > 1 ? 32 : 8, bottom: 8, containLabel: true},
        xAxis: line ? {type: "category", data: spec.categories} : {type: "value", max: spec.kind === "percent" ? 100 : null},
        yAxis: line ? {type: "value", min: 0, max: 100} : {type: "category", data: spec.categories, inverse: true,
          axisLabel: {width: 110, overflow: "truncate"}},
        series: spec.series.map(function (s) {
          return {name: s.name, type: line ? "line" : "bar", data: s.data, stack: stacked ? "all" : undefined,
            label: {show: !stacked, position: line ? "top" : "right"}};
        })
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
})();
(function () {
  "use strict";
  var source = document.getElementById("index-chart");
  var el = document.getElementById("chart-index");
  if (!source || !el) { return; }
  var spec = JSON.parse(source.textContent);
  if (!spec) { return; }
  var chart = echarts.init(el);
  chart.setOption({tooltip: {trigger: "axis"}, grid: {left: 8, right: 24, top: 16, bottom: 8, containLabel: true},
    xAxis: {type: "category", data: spec.labels}, yAxis: {type: "value", min: 0, max: 100},
    series: [{type: "bar", data: spec.values, label: {show: true, position: "top"}, barMaxWidth: 48}]});
  window.addEventListener("resize", function () { chart.resize(); });
})();
