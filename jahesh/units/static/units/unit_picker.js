// The production-unit picker (jahesh.units.forms.UnitPickerWidget). Without this script the
// field is a plain text box for a national business id or exact name; with it, typing lists
// matching units (GET units:unit_search, an htmx fragment) and choosing one fills a hidden id.
// Loaded by every picker on the page and by htmx swaps: it wires itself once, by delegation.
(function () {
  "use strict";
  if (window.jhUnitPicker) return;
  window.jhUnitPicker = true;

  var DELAY = 250;

  function parts(picker) {
    return {
      box: picker.querySelector("input[type=text]"),
      hidden: picker.querySelector("input[type=hidden][data-jh-unit-id]"),
      current: picker.querySelector("[data-jh-unit-picker-current]"),
      results: picker.querySelector("[data-jh-unit-picker-results]"),
    };
  }

  // The text box keeps what is typed (as name_q); a hidden input takes the field's name and
  // the chosen unit's id. The server reads name_q only when no unit was chosen.
  function enhance(picker) {
    if (picker.dataset.jhReady) return;
    picker.dataset.jhReady = "1";
    var box = picker.querySelector("input[type=text]");
    if (!box) return;
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = box.name;
    hidden.value = picker.dataset.unitId || "";
    hidden.setAttribute("data-jh-unit-id", "");
    box.name = box.name + "_q";
    if (picker.dataset.unitLabel) box.value = picker.dataset.unitLabel;
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    picker.insertBefore(hidden, box);
  }

  function enhanceAll(root) {
    if (root.matches && root.matches("[data-jh-unit-picker]")) enhance(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-jh-unit-picker]").forEach(enhance);
  }

  function close(picker) {
    var p = parts(picker);
    p.results.hidden = true;
    p.results.innerHTML = "";
    if (p.box) p.box.setAttribute("aria-expanded", "false");
  }

  function choose(picker, option) {
    var p = parts(picker);
    p.hidden.value = option.dataset.unitId;
    p.box.value = option.dataset.unitLabel;
    p.current.textContent = option.dataset.unitLabel;
    picker.dataset.unitId = option.dataset.unitId;
    picker.dataset.unitLabel = option.dataset.unitLabel;
    close(picker);
    p.box.focus();
    p.hidden.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function search(picker) {
    var p = parts(picker);
    var text = p.box.value.trim();
    var seq = String((+picker.dataset.jhSeq || 0) + 1);
    picker.dataset.jhSeq = seq;
    if (text.length < 2) { close(picker); return; }
    var url = picker.dataset.searchUrl + "?q=" + encodeURIComponent(text);
    fetch(url, { headers: { "HX-Request": "true", "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (picker.dataset.jhSeq !== seq) return;  // a later search is on its way
        p.results.innerHTML = html;
        var found = html.trim() !== "";
        p.results.hidden = !found;
        p.box.setAttribute("aria-expanded", found ? "true" : "false");
      })
      .catch(function () { close(picker); });
  }

  var timers = new WeakMap();

  document.addEventListener("input", function (event) {
    var picker = event.target.closest && event.target.closest("[data-jh-unit-picker]");
    if (!picker || event.target.type !== "text") return;
    enhance(picker);
    var p = parts(picker);
    if (p.hidden && p.box.value !== picker.dataset.unitLabel) {
      p.hidden.value = "";  // typed over the choice: nothing chosen until a new one is picked
      p.current.textContent = "";
    }
    clearTimeout(timers.get(picker));
    timers.set(picker, setTimeout(function () { search(picker); }, DELAY));
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-jh-unit-picker-results] [data-unit-id]");
    if (option) {
      choose(option.closest("[data-jh-unit-picker]"), option);
      return;
    }
    document.querySelectorAll("[data-jh-unit-picker]").forEach(function (picker) {
      if (!picker.contains(event.target)) close(picker);
    });
  });

  document.addEventListener("keydown", function (event) {
    var picker = event.target.closest && event.target.closest("[data-jh-unit-picker]");
    if (!picker) return;
    var p = parts(picker);
    if (!p.results || p.results.hidden) return;
    var options = Array.prototype.slice.call(p.results.querySelectorAll("[data-unit-id]"));
    var at = options.indexOf(event.target);
    if (event.key === "Escape") {
      close(picker);
      p.box.focus();
      event.preventDefault();
    } else if (event.key === "ArrowDown" && options.length) {
      options[Math.min(at + 1, options.length - 1)].focus();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && at >= 0) {
      (at === 0 ? p.box : options[at - 1]).focus();
      event.preventDefault();
    } else if (event.key === "Enter" && event.target === p.box && options.length === 1) {
      choose(picker, options[0]);  // one match: Enter takes it rather than submitting
      event.preventDefault();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
