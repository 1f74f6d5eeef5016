// Gonggam's own behaviour, wired by data attributes: the Content-Security-Policy allows no inline
// scripts or event-handler attributes (onclick=, onchange=, onsubmit=).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-submit-on-change]");
    if (field && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
    var selectable = event.target.closest("[data-select-on-click]");
    if (selectable) {
      selectable.select();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
