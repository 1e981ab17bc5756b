// Polls a version's JSON status while it is being checked and reloads when done.
// An external file because the content security policy forbids inline scripts.
(function () {
  "use strict";
  var box = document.querySelector("[data-module='hub-progress']");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("check-progress");
  var text = document.getElementById("check-message");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (bar) { bar.value = s.progress; bar.textContent = s.progress + "%"; }
        if (text) { text.textContent = s.progress + "% – " + (s.message || s.status_label); }
        if (s.done) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
