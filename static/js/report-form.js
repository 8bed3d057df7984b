// The compile-a-report form: the province field only for a province's report, the member unit
// field only for a unit's report (the server ignores them otherwise, and says so when one is missing).
(function () {
  const kind = document.getElementById("id_kind");
  if (!kind) return;
  const scoped = { province_report: "id_province", unit_report: "id_unit" };
  function update() {
    for (const [value, id] of Object.entries(scoped)) {
      const input = document.getElementById(id);
      if (input) input.closest(".field").hidden = kind.value !== value;
    }
  }
  kind.addEventListener("change", update);
  update();
})();
