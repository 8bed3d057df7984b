// Follows a background job: updates the progress bar every second, reloads the page when it ends.
(function () {
  const box = document.getElementById("job");
  if (!box || box.dataset.finished === "1") return;
  const bar = document.getElementById("job-progress");
  const label = document.getElementById("job-status");
  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const job = await response.json();
        bar.value = job.progress;
        const percent = document.getElementById("job-percent");
        if (percent) percent.textContent = job.progress + "%";
        label.textContent = job.status_label;
        if (job.finished) { window.location.reload(); return; }
      }
    } catch (error) { /* the network hiccupped: try again */ }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 500);
})();
