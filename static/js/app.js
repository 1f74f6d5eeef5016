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
  // The inbox's customer picker: a search answered after staff chose someone (the request left
  // before the click, so it did not carry the choice) must not undo the choice.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "contact-options") {
      var checked = event.detail.target.querySelector("input[name=contact]:checked");
      event.detail.target.dataset.chosen = checked ? checked.value : "";
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var options = event.detail.target;
    if (options && options.id === "contact-options" && options.dataset.chosen) {
      var again = options.querySelector("input[name=contact][value='" + options.dataset.chosen + "']");
      if (again && !options.querySelector("input[name=contact]:checked")) {
        again.checked = true;
      }
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
