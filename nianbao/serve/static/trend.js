// 历年趋势: draw each <div class="trend-chart" data-option="…"> and open the report behind a bar
// when it is clicked (the bar's data item carries the report's url).
(function () {
  "use strict";
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("div.trend-chart[data-option]").forEach(function (el) {
      if (el.dataset.drawn) return;
      el.dataset.drawn = "1";
      var chart = window.echarts.init(el, null, {renderer: "svg", locale: "ZH"});
      chart.setOption(JSON.parse(el.dataset.option));
      chart.on("click", function (p) {
        if (p && p.data && typeof p.data.url === "string" && p.data.url.indexOf("/reports/") === 0) {
          window.location.href = p.data.url;
        }
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
