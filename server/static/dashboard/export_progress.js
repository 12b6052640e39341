// fieldcheck export page: follow the export job until it is done, then show its download link.
// Without this file the page refreshes itself (<noscript> meta refresh) and shows the same.
(function () {
  "use strict";
  var box = document.getElementById("export");
  if (!box) return;
  var url = box.getAttribute("data-status-url");

  function byId(id) { return document.getElementById(id); }

  function show(status) {
    box.setAttribute("data-state", status.state);
    var badge = byId("export-state").firstElementChild || byId("export-state");
    badge.textContent = status.state_text;
    badge.className = "badge state-" + status.state;
    byId("export-percent").textContent = status.progress;
    byId("export-progress").value = status.progress;
    byId("export-text").textContent = status.text;
    var error = byId("export-error");
    error.textContent = status.error || "";
    error.hidden = !status.error;
    if (status.ready) {
      byId("export-link").href = status.download_url;
      byId("export-file-name").textContent = status.file_name;
      byId("export-download").hidden = false;
    }
  }

  function running(state) { return state === "queued" || state === "running"; }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) { window.setTimeout(poll, 5000); return; }
      var status = JSON.parse(request.responseText);
      show(status);
      if (running(status.state)) window.setTimeout(poll, 1000);
    };
    request.onerror = function () { window.setTimeout(poll, 5000); };
    request.send();
  }

  if (running(box.getAttribute("data-state"))) window.setTimeout(poll, 500);
}());
