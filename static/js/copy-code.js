// The follow-up code's copy button (the public page that shows it once): shown only where the
// browser can write to the clipboard; it says when the code was copied.
(function () {
  "use strict";
  var button = document.getElementById("copy-code");
  var code = document.getElementById("follow-up-code");
  if (!button || !code || !navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(code.textContent.trim()).then(function () {
      button.textContent = button.dataset.copied;
    });
  });
})();
