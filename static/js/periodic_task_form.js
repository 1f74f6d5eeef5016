// The periodic-task admin form (django-celery-beat): shows the chosen crontab in words under the
// field. The package does this in an inline script, which the Content-Security-Policy refuses;
// templates/admin/djcelery/change_periodictask_form.html loads this file instead.
(function () {
  "use strict";
  var $ = window.django && window.django.jQuery;
  if (!$) {
    return;
  }
  var readableCrontabs = JSON.parse(document.getElementById("readable-crontabs").textContent);
  var originalHelp = JSON.parse(document.getElementById("crontab-help").textContent);
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    var help = $(".field-crontab .help");
    help.text(originalHelp);
    help.append(document.createElement("br"));
    help.append(document.createTextNode("Translation: " + readableCrontabs[$("#id_crontab").val()]));
  });
})();
