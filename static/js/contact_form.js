// The contact form's file limits, checked before sending (followups/webform/_form.html): a visitor
// whose files are too large learns it at once, with the limit, instead of losing the message to
// the server's 413 page. The server checks the same limits again. No inline script: CSP-safe.
(function () {
  "use strict";
  var notice = document.getElementById("attachments-too-large");
  if (!notice) return;
  var form = notice.closest("form");
  var input = form && form.querySelector("input[type=file]");
  if (!input) return;
  var maxBytes = parseInt(notice.dataset.maxBytes, 10);
  var maxFiles = parseInt(notice.dataset.maxFiles, 10);

  function megabytes(bytes) {
    return (bytes / (1024 * 1024)).toFixed(1) + "\u00a0MB"; // as filesizeformat writes it
  }

  function problem() {
    var files = Array.prototype.slice.call(input.files || []);
    var total = files.reduce(function (sum, file) { return sum + file.size; }, 0);
    if (files.length > maxFiles) return notice.dataset.tooMany;
    if (total > maxBytes) return notice.dataset.tooLarge.replace("{size}", megabytes(total));
    return "";
  }

  function show() {
    var text = problem();
    notice.textContent = text;
    notice.hidden = !text;
    input.classList.toggle("is-invalid", !!text);
    input.setAttribute("aria-describedby", text ? "attachments-limit attachments-too-large" : "attachments-limit");
    return !text;
  }

  input.setAttribute("aria-describedby", "attachments-limit");
  input.addEventListener("change", show);
  form.addEventListener("submit", function (event) {
    if (!show()) {
      event.preventDefault();
      input.focus();
    }
  });
})();
