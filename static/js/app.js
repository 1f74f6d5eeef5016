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
  // The reply composer: To, Cc, subject and the preview are for email; files for the channels
  // the form names in data-file-channels (email, and KakaoTalk in a KakaoTalk chat); "When" is
  // for logging a call or message made earlier by another channel.
  var EMAIL_ONLY = ["to", "cc", "subject", "language"];
  function composerChannel(form) {
    var channel = form.querySelector("[name=channel]");
    if (!channel) {
      return;
    }
    var email = channel.value === "email";
    EMAIL_ONLY.forEach(function (name) {
      var wrapper = form.querySelector("#div_id_" + name);
      if (wrapper) {
        wrapper.hidden = !email;
      }
    });
    var files = form.querySelector("#div_id_attachments");
    if (files) {
      var fileChannels = (form.getAttribute("data-file-channels") || "email").split(" ");
      files.hidden = fileChannels.indexOf(channel.value) === -1;
    }
    form.querySelectorAll("[data-email-only]").forEach(function (element) {
      element.hidden = !email;
    });
    form.querySelectorAll("[data-not-email]").forEach(function (element) {
      element.hidden = email;
    });
    var when = form.querySelector("#div_id_occurred_at");
    if (when) {
      when.hidden = email;
    }
  }
  function composers() {
    document.querySelectorAll("form[data-composer]").forEach(composerChannel);
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-composer]");
    if (form && event.target.name === "channel") {
      composerChannel(form);
    }
  });
  // Who else has the conversation open: "replying" while the reply box holds text.
  document.addEventListener("input", function (event) {
    var form = event.target.closest("form[data-composer]");
    var state = document.getElementById("presence-state");
    if (form && state && event.target.name === "body") {
      state.value = event.target.value.trim() ? "replying" : "viewing";
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", composers);
  } else {
    composers();
  }
})();
