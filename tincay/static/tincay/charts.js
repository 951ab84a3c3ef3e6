// Charts drawn from JSON embedded in the page; every chart has a table with the same numbers beside it.
(function () {
  "use strict";
  function radar() {
    const holder = document.getElementById("radar");
    const source = document.getElementById("radar-data");
    if (!holder || !source || !window.echarts) { return; }
    const data = JSON.parse(source.textContent);
    const lang = document.documentElement.lang === "en";
    const names = { self: lang ? "Self" : "Tự đánh giá", scorer: lang ? "Scorer" : "Tổ chấm điểm", final: lang ? "Final" : "Kết quả cuối cùng" };
    const chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      legend: { bottom: 0 },
      radar: { indicator: data.indicators.map(function (n) { return { name: n.length > 28 ? n.slice(0, 27) + "…" : n, max: 100 }; }) },
      series: [{ type: "radar", data: Object.keys(data.series).map(function (k) { return { name: names[k], value: data.series[k] }; }) }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  radar();
})();
