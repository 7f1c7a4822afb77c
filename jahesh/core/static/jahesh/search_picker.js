// The search picker (jahesh.core.pickers). Without this script the field is a plain text box
// read on the server (a record number, an exact name); with it, typing lists matches (GET the
// picker's search URL, an HTML fragment of options) and choosing one fills a hidden id.
// Loaded by every picker on the page and by htmx swaps: it wires itself once, by delegation.
(function () {
  "use strict";
  if (window.jhSearchPicker) return;
  window.jhSearchPicker = true;

  var DELAY = 250;
  var PICKER = "[data-jh-picker]";

  function parts(picker) {
    return {
      box: picker.querySelector("input[type=text]"),
      hidden: picker.querySelector("input[type=hidden][data-jh-pick-id]"),
      current: picker.querySelector("[data-jh-picker-current]"),
      results: picker.querySelector("[data-jh-picker-results]"),
    };
  }

  // The text box keeps what is typed (as name_q); a hidden input takes the field's name and
  // the chosen record's id. The server reads name_q only when nothing was chosen.
  function enhance(picker) {
    if (picker.dataset.jhReady) return;
    picker.dataset.jhReady = "1";
    var box = picker.querySelector("input[type=text]");
    if (!box) return;
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    if ("multiple" in picker.dataset) return;  // its box is name_q already; choices are boxes
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = box.name;
    hidden.value = picker.dataset.pickId || "";
    hidden.setAttribute("data-jh-pick-id", "");
    box.name = box.name + "_q";
    if (picker.dataset.pickLabel) box.value = picker.dataset.pickLabel;
    picker.insertBefore(hidden, box);
  }

  function enhanceAll(root) {
    if (root.matches && root.matches(PICKER)) enhance(root);
    if (root.querySelectorAll) root.querySelectorAll(PICKER).forEach(enhance);
  }

  function close(picker) {
    var p = parts(picker);
    p.results.hidden = true;
    p.results.innerHTML = "";
    if (p.box) p.box.setAttribute("aria-expanded", "false");
  }

  // A picker of several: the choice becomes one more ticked box (untick it to take it away).
  function add(picker, option) {
    var p = parts(picker);
    var chosen = picker.querySelector("[data-jh-picker-chosen]");
    var id = option.dataset.pickId;
    var already = Array.prototype.some.call(chosen.querySelectorAll("input[type=checkbox]"),
      function (tick) { return tick.value === id; });
    if (!already) {
      var chip = document.createElement("label");
      chip.className = "badge rounded-pill text-bg-light border fw-normal jh-picker-chip";
      var tick = document.createElement("input");
      tick.type = "checkbox";
      tick.className = "form-check-input ms-1";
      tick.name = picker.dataset.fieldName;
      tick.value = id;
      tick.checked = true;
      chip.appendChild(tick);
      chip.appendChild(document.createTextNode(" " + option.dataset.pickLabel));
      chosen.appendChild(chip);
    }
    p.box.value = "";
    close(picker);
    p.box.focus();
  }

  function choose(picker, option) {
    if ("multiple" in picker.dataset) { add(picker, option); return; }
    var p = parts(picker);
    p.hidden.value = option.dataset.pickId;
    p.box.value = option.dataset.pickLabel;
    p.current.textContent = option.dataset.pickLabel;
    picker.dataset.pickId = option.dataset.pickId;
    picker.dataset.pickLabel = option.dataset.pickLabel;
    close(picker);
    p.box.focus();
    p.hidden.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // The id chosen in the field this picker is narrowed by (the project for its indicators).
  function narrowing(picker) {
    var name = picker.dataset.narrowBy;
    var form = name && picker.closest("form");
    var other = form && form.querySelector("input[type=hidden][data-jh-pick-id][name='" + name + "']");
    return other && other.value ? { name: name, value: other.value } : null;
  }

  function search(picker) {
    var p = parts(picker);
    var text = p.box.value.trim();
    if (text === picker.dataset.pickLabel) text = "";  // the chosen label is not a search
    var narrow = narrowing(picker);
    var seq = String((+picker.dataset.jhSeq || 0) + 1);
    picker.dataset.jhSeq = seq;
    if (text.length < 2 && !narrow) { close(picker); return; }
    var url = picker.dataset.searchUrl + "?q=" + encodeURIComponent(text);
    if (narrow) url += "&" + encodeURIComponent(narrow.name) + "=" + encodeURIComponent(narrow.value);
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
    var picker = event.target.closest && event.target.closest(PICKER);
    if (!picker || event.target.type !== "text") return;
    enhance(picker);
    var p = parts(picker);
    if (p.hidden && p.box.value !== picker.dataset.pickLabel) {
      p.hidden.value = "";  // typed over the choice: nothing chosen until a new one is picked
      p.current.textContent = "";
    }
    clearTimeout(timers.get(picker));
    timers.set(picker, setTimeout(function () { search(picker); }, DELAY));
  });

  // A narrowed picker lists its few choices as soon as it is entered.
  document.addEventListener("focusin", function (event) {
    var picker = event.target.closest && event.target.closest(PICKER);
    if (!picker || event.target.type !== "text" || !picker.dataset.narrowBy) return;
    var p = parts(picker);
    if (p.results && p.results.hidden && narrowing(picker)) search(picker);
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-jh-picker-results] [data-pick-id]");
    if (option) {
      choose(option.closest(PICKER), option);
      return;
    }
    document.querySelectorAll(PICKER).forEach(function (picker) {
      if (!picker.contains(event.target)) close(picker);
    });
  });

  document.addEventListener("keydown", function (event) {
    var picker = event.target.closest && event.target.closest(PICKER);
    if (!picker) return;
    var p = parts(picker);
    if (!p.results || p.results.hidden) return;
    var options = Array.prototype.slice.call(p.results.querySelectorAll("[data-pick-id]"));
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
