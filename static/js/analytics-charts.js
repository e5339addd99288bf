// Draws the adoption dashboard's charts with the vendored Chart.js, from the figures the page embeds
// (#analytics-chart-data). The tables under each chart carry the same figures without JavaScript.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("analytics-chart-data");
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var colours = ["#8250df", "#0969da", "#1a7f37", "#bf3989", "#9a6700"];
    var trend = document.getElementById("trend-chart");
    if (trend) {
      new Chart(trend, {
        type: "line",
        data: {
          labels: data.trend.labels,
          datasets: data.trend.series.map(function (s, i) {
            return { label: s.label, data: s.data, borderColor: colours[i], backgroundColor: colours[i], pointRadius: 0, tension: 0.2 };
          }),
        },
        options: { animation: false, maintainAspectRatio: false, interaction: { mode: "index", intersect: false }, scales: { y: { beginAtZero: true } } },
      });
    }
    var departments = document.getElementById("department-chart");
    if (departments) {
      new Chart(departments, {
        type: "bar",
        data: { labels: data.departments.labels, datasets: [{ label: "Weekly active (%)", data: data.departments.data, backgroundColor: colours[1] }] },
        options: { animation: false, maintainAspectRatio: false, indexAxis: "y", scales: { x: { beginAtZero: true, max: 100 } } },
      });
    }
    var silo = document.getElementById("silo-chart");
    if (silo) {
      new Chart(silo, {
        type: "bar",
        data: { labels: data.silo.labels, datasets: [{ label: "Silo index (%)", data: data.silo.data, backgroundColor: colours[0] }] },
        options: { animation: false, maintainAspectRatio: false, indexAxis: "y", scales: { x: { beginAtZero: true, max: 100 } } },
      });
    }
    var dormant = document.getElementById("dormant-chart");
    if (dormant) {
      new Chart(dormant, {
        type: "line",
        data: { labels: data.dormant.labels, datasets: [{ label: "Dormant groups", data: data.dormant.data, borderColor: colours[3], backgroundColor: colours[3], pointRadius: 0 }] },
        options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
