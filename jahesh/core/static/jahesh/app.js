// Jahesh: the little behaviour pages need beyond htmx. No inline scripts (CSP forbids them).
(function () {
  "use strict";

  function initDatePickers() {
    if (!window.jalaliDatepicker) return;
    var fa = document.body.dataset.lang === "fa";
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
