// Draws the dashboard's charts from the JSON the page carries (no inline scripts), and fills each
// chart's table of figures (the <details> after it) from the same JSON, for screen readers and
// for anyone who wants the numbers.
(function () {
  const STATUS_COLOURS = ["#9aa5b1", "#2f7d32", "#e6a23c", "#c62828", "#1f5fae", "#e4e7eb"];
  const data = (id) => JSON.parse(document.getElementById(id).textContent);
  const percent = (value) => (value === null || value === undefined ? "—" : value + "%");

  function fillTable(source, header, rows) {
    const details = document.querySelector(`details.chart-data[data-source="${source}"]`);
    if (!details) return;
    const table = details.querySelector("table");
    header = [details.dataset.rowLabel, ...header];
    const headRow = table.tHead.insertRow();
    header.forEach((text, i) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      if (i > 0) th.className = "num";
      headRow.appendChild(th);
    });
    const body = table.tBodies[0];
    rows.forEach(([label, ...cells]) => {
      const row = body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = label;
      row.appendChild(th);
      cells.forEach((text) => {
        const td = row.insertCell();
        td.className = "num";
        td.textContent = text;
      });
    });
  }

  function shortLabel(label, canvas) {
    // About a third of the chart's width for the names, at about 13 px a Chinese character and
    // 7 px a Latin one.
    const room = Math.max(90, canvas.parentElement.clientWidth / 3);
    const width = (ch) => (ch.charCodeAt(0) > 0x2e80 ? 13 : 7);
    let used = 0;
    for (let i = 0; i < label.length; i += 1) {
      used += width(label[i]);
      if (used > room) return label.slice(0, Math.max(1, i - 1)) + "…";
    }
    return label;
  }

  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const sourceId = canvas.dataset.source;
    const source = data(sourceId);
    if (canvas.dataset.chart === "stacked") {
      fillTable(
        sourceId,
        source.series,
        source.labels.map((label, i) => [label, ...source.values[i].map(String)]),
      );
      if (!window.Chart) return;
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: source.labels,
          datasets: source.series.map((label, i) => ({
            label, backgroundColor: STATUS_COLOURS[i], data: source.values.map((row) => row[i]),
          })),
        },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          scales: {
            x: { stacked: true },
            // A long area or unit name is shortened to the room the chart has (a phone), never
            // cut off at the edge; the tooltip and the figures' table give it whole.
            y: { stacked: true, ticks: { callback(value) { return shortLabel(this.getLabelForValue(value), canvas); } } },
          },
        },
      });
    } else if (canvas.dataset.chart === "indicators") {
      fillTable(
        sourceId,
        [canvas.dataset.ratioLabel, canvas.dataset.assistedLabel, canvas.dataset.baselineLabel],
        source.labels.map((label, i) => [label, percent(source.ratio[i]), percent(source.assisted[i]), percent(source.baseline)]),
      );
      if (!window.Chart) return;
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
