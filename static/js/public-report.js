// The public report page: the proof-of-work widget's worker (served from here: no blob: workers
// under the portal's Content-Security-Policy), the county select filled for the chosen province,
// and the contact fields shown only when the person does not report anonymously. Without this
// script the form still works for the province and the contact fields.
(function () {
  const script = document.getElementById("public-report-script");
  if (window.$altcha && script) {
    const url = script.dataset.worker;
    window.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(url));
  }
  const province = document.getElementById("id_province");
  const county = document.getElementById("id_county");
  const box = document.getElementById("county-field");
  if (province && county && box) {
    province.addEventListener("change", async () => {
      const first = county.options[0];
      county.replaceChildren(first);
      if (!province.value) return;
      const response = await fetch(`${box.dataset.url}?province=${encodeURIComponent(province.value)}`);
      if (!response.ok) return;
      for (const row of (await response.json()).counties) {
        county.append(new Option(row.name, row.code));
      }
    });
  }
  const anonymous = document.getElementById("id_is_anonymous");
  const contact = document.getElementById("contact-fields");
  if (anonymous && contact) {
    const update = () => { contact.hidden = anonymous.checked; };
    anonymous.addEventListener("change", update);
    update();
  }
})();
