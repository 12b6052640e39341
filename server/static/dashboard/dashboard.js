// fieldcheck dashboard: small conveniences only; every page works without this file.
document.addEventListener("keydown", function (event) {
  // "n" opens the next interview awaiting review, unless the supervisor is typing.
  var target = event.target;
  if (event.key !== "n" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) return;
  var next = document.getElementById("next-flagged");
  if (next) window.location.href = next.href;
});
