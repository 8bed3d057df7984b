// Draws the dashboard's charts from the JSON the page carries (no inline scripts).
(function () {
  if (!window.Chart) return;
  const STATUS_COLOURS = ["#9aa5b1", "#2f7d32", "#e6a23c", "#c62828", "#1f5fae", "#e4e7eb"];
  const data = (id) => JSON.parse(document.getElementById(id).textContent);
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = data(canvas.dataset.source);
    if (canvas.dataset.chart === "stacked") {
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: source.labels,
          datasets: source.series.map((label, i) => ({
            label, backgroundColor: STATUS_COLOURS[i], data: source.values.map((row) => row[i]),
          })),
        },
        options: { indexAxis: "y", maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true } } },
      });
    } else if (canvas.dataset.chart === "indicators") {
      const baseline = source.labels.map(() => source.baseline);
      new Chart(canvas, {
        type: "line",
        data: {
          labels: source.labels,
          datasets: [
            { label: canvas.dataset.ratioLabel, data: source.ratio, borderColor: "#a61b1b", spanGaps: true },
            { label: canvas.dataset.assistedLabel, data: source.assisted, borderColor: "#1f5fae", spanGaps: true },
            { label: canvas.dataset.baselineLabel, data: baseline, borderColor: "#9aa5b1", borderDash: [6, 4], pointRadius: 0 },
          ],
        },
        options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 100, ticks: { callback: (v) => v + "%" } } } },
      });
    }
  });
})();
