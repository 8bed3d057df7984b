// After a refused form, bring the first field in error into view and put the cursor in it: on a
// long page (46 measures of an evaluation round) the message could otherwise be screens away.
(function () {
  const field = document.querySelector(".field.has-error");
  if (!field) return;
  field.scrollIntoView({ block: "center" });
  const input = field.querySelector("input:not([type=hidden]), select, textarea");
  if (input) input.focus({ preventScroll: true });
})();
