// 总览: draws each KPI's monthly trend (ECharts, vendored) from the JSON the page embeds. A chart's container
// gets data-ready="true" once drawn (ECharts' "finished"), so tests and benchmarks can wait for it.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kpi-trends").textContent);
  for (const el of document.querySelectorAll("[data-kpi]")) {
    const kpi = data.series.find((s) => s.key === el.dataset.kpi);
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.on("finished", () => { el.dataset.ready = "true"; });
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 16, bottom: 28 },
      tooltip: { trigger: "axis", valueFormatter: (v) => v + kpi.suffix },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value" },
      series: [{ type: "line", name: kpi.name, data: kpi.values, color: "#0b4f8a" }],
    });
    window.addEventListener("resize", () => chart.resize());
  }
})();
