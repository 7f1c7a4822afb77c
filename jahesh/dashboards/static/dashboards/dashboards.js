// Dashboards: the print button, and the charts' figure tables unfolded for printing.
(function () {
  "use strict";
  function unfold() {
    document.querySelectorAll("details.jh-chart-data, details.jh-report").forEach(function (d) {
      if (!d.open) { d.open = true; d.dataset.jhPrintOpened = "1"; }
    });
  }
  function refold() {
    document.querySelectorAll("details[data-jh-print-opened]").forEach(function (d) {
      d.open = false; delete d.dataset.jhPrintOpened;
    });
  }
  window.addEventListener("beforeprint", unfold);
  window.addEventListener("afterprint", refold);
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-jh-print]");
    if (button) { event.preventDefault(); window.print(); }
  });
  // The year and month pickers submit themselves; the button stays for keyboards and no JS.
  document.addEventListener("change", function (event) {
    var select = event.target.closest("form[data-jh-autosubmit] select");
    if (select) { select.form.requestSubmit(); }
  });
})();
