// The pickers of a division or an agency (agencies/forms.py, PickerWidget): a text input that
// searches as one types and offers what it finds in a list, after the WAI-ARIA 1.2 combobox pattern
// with list autocomplete (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/). Down and Up move
// through the list (Alt+Down opens it), Enter chooses, Escape closes it; the live region says how
// many were found. The choice goes into the hidden input named as the field; typing again clears
// it, so that the text typed is what the server looks up.
// Several pickers on a page include this file once each: every picker is set up only once.
(function () {
  "use strict";
  const DELAY_MS = 200;
  const MAX_CHARS = 50;

  function setUp(root) {
    if (root.dataset.pickerReady) return;
    root.dataset.pickerReady = "1";
    const input = root.querySelector("[role=combobox]");
    const value = root.querySelector("[data-picker-value]");
    const list = root.querySelector("[role=listbox]");
    const status = root.querySelector("[role=status]");
    let options = [];
    let active = -1;
    let timer = null;
    let asked = 0;
    let chosenText = input.value;

    function setActive(index) {
      options.forEach((option, i) => option.setAttribute("aria-selected", i === index ? "true" : "false"));
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!options.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      setActive(-1);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function choose(index) {
      const option = options[index];
      input.value = option.dataset.name;
      value.value = option.dataset.id;
      chosenText = input.value;
      close();
      value.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(results, message) {
      close();
      list.replaceChildren();
      options = results.map((result, i) => {
        const option = document.createElement("li");
        option.id = `${list.id}-${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.id = result.id;
        option.dataset.name = result.name;
        const name = document.createElement("span");
        name.textContent = result.name;
        const detail = document.createElement("small");
        detail.textContent = ` ${result.detail}`;
        option.append(name, detail);
        // mousedown would take the focus from the input (and close the list) before the click.
        option.addEventListener("mousedown", (event) => event.preventDefault());
        option.addEventListener("click", () => choose(i));
        list.append(option);
        return option;
      });
      status.textContent = message;
      if (document.activeElement === input) open();
    }

    function search() {
      const text = input.value.trim();
      const ask = ++asked;
      if (!text) {
        show([], "");
        return;
      }
      const params = new URLSearchParams(root.dataset.params || "");
      params.set("q", text.slice(0, MAX_CHARS));
      // A county picker beside a province select suggests that province's counties only.
      const province = root.dataset.provinceFrom && document.getElementById(root.dataset.provinceFrom);
      if (province && province.value) params.set("in_province", province.value);
      fetch(`${root.dataset.searchUrl}?${params}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then((response) => {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then((answer) => {
          if (ask === asked) show(answer.results, answer.status);
        })
        .catch(() => {
          if (ask === asked) show([], root.dataset.msgFailed);
        });
    }

    input.addEventListener("input", () => {
      if (input.value !== chosenText) value.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });

    input.addEventListener("keydown", (event) => {
      const shown = !list.hidden;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (!options.length) {
            if (input.value.trim()) search();
            break;
          }
          open();
          if (!event.altKey) setActive(shown ? (active + 1) % options.length : 0);
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!options.length) break;
          open();
          setActive(shown && active > 0 ? active - 1 : options.length - 1);
          break;
        case "Enter":
          if (shown && active >= 0) {
            event.preventDefault(); // choose, and do not send the form yet
            choose(active);
          }
          break;
        case "Escape":
          // Closes the list, and a search still on its way does not open it again.
          clearTimeout(timer);
          asked += 1;
          if (shown) {
            event.preventDefault();
            close();
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", close);
  }

  document.querySelectorAll("[data-picker]").forEach(setUp);
})();
