// Charts drawn from JSON embedded in the page; every chart has a table with the same numbers beside it.
// SVG rendering: sharp on a phone and on paper; charts are redrawn to the page width before printing.
(function () {
  "use strict";
  const english = document.documentElement.lang === "en";
  const charts = [];

  function data(id) {
    const source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function make(holder, option) {
    const chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption(Object.assign({ animation: false }, option));
    charts.push(chart);
  }

  function radar() {
    const holder = document.getElementById("radar");
    const source = data("radar-data");
    if (!holder || !source) { return; }
    const names = { self: english ? "Self" : "Tự đánh giá", scorer: english ? "Scorer" : "Tổ chấm điểm", final: english ? "Final" : "Kết quả cuối cùng" };
    make(holder, {
      legend: { bottom: 0 },
      radar: { indicator: source.indicators.map(function (n) { return { name: n.length > 28 ? n.slice(0, 27) + "…" : n, max: 100 }; }) },
      series: [{ type: "radar", data: Object.keys(source.series).map(function (k) { return { name: names[k], value: source.series[k] }; }) }]
    });
  }

  function trend() {
    const holder = document.getElementById("trend");
    const source = data("trend-data");
    if (!holder || !source) { return; }
    const label = {
      own: english ? "This unit" : "Đơn vị này",
      combined: english ? "Units it came from (by population)" : "Các đơn vị tiền thân (theo dân số)"
    };
    make(holder, {
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      // richText: the tooltip is drawn inside the chart; the HTML tooltip would insert style attributes, which the
      // Content-Security-Policy refuses
      tooltip: { trigger: "axis", renderMode: "richText" },
      xAxis: { type: "category", data: source.labels },
      yAxis: { type: "value", min: 0, max: 100 },
      series: source.series.map(function (s) {
        return {
          type: "line", name: s.name || label[s.key], data: s.values, connectNulls: false, symbolSize: 8,
          lineStyle: s.key === "own" ? { width: 3 } : { type: "dashed" }
        };
      })
    });
  }

  function resizeAll() { charts.forEach(function (c) { c.resize(); }); }

  if (window.echarts) {
    radar();
    trend();
    window.addEventListener("resize", resizeAll);
    window.addEventListener("beforeprint", resizeAll);
    window.addEventListener("afterprint", resizeAll);
  }
})();
