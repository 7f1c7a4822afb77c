// Jahesh: the little behaviour pages need beyond htmx. No inline scripts (CSP forbids them).
(function () {
  "use strict";

  var PERSIAN_DIGITS = "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9";
  var ARABIC_DIGITS = "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669";

  function toLatinDigits(text) {
    return text.replace(/[\u06f0-\u06f9\u0660-\u0669]/g, function (d) {
      var i = PERSIAN_DIGITS.indexOf(d);
      return String(i >= 0 ? i : ARABIC_DIGITS.indexOf(d));
    });
  }

  function toPersianDigits(text) {
    return text.replace(/[0-9]/g, function (d) { return PERSIAN_DIGITS[+d]; });
  }

  function isDateInput(el) {
    return el && el.matches && el.matches("input[data-jdp]");
  }

  // The date picker writes Latin digits and cannot read Persian ones (parseInt gives NaN), but
  // a Persian page shows dates in Persian digits (the server renders them so). So: Latin
  // digits while the picker reads the value, Persian digits whenever a person sees it.
  function wireDateDigits(fa) {
    document.addEventListener("focusin", function (event) {
      if (isDateInput(event.target)) event.target.value = toLatinDigits(event.target.value);
    }, true);  // capture: runs before the picker's own focusin listener on <body>
    if (!fa) return;
    function persianize(event) {
      if (isDateInput(event.target)) event.target.value = toPersianDigits(event.target.value);
    }
    document.addEventListener("focusin", persianize);  // bubble: after the picker has read it
    document.addEventListener("jdp:change", persianize, true);
    document.addEventListener("focusout", persianize, true);
  }

  function initDatePickers() {
    if (!window.jalaliDatepicker) return;
    var fa = document.body.dataset.lang === "fa";
    wireDateDigits(fa);
    window.jalaliDatepicker.startWatch({
      persianDigits: fa,
      autoShow: true,
      autoHide: true,
      hideAfterChange: true,
      showTodayBtn: true,
      showEmptyBtn: true,
      zIndex: 1050,
    });
  }

  function initToggles(root) {
    root.querySelectorAll("[data-jh-toggle]").forEach(function (button) {
      if (button.dataset.jhBound) return;
      button.dataset.jhBound = "1";
      button.addEventListener("click", function () {
        var target = document.querySelector(button.dataset.jhToggle);
        if (!target) return;
        var open = target.classList.toggle("show");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
  }

  // Forms that ask before an irreversible or important action: data-jh-confirm="question".
  document.addEventListener("submit", function (event) {
    var question = event.target.dataset && event.target.dataset.jhConfirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    initDatePickers();
    initToggles(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    initToggles(event.target);
  });
})();
