/* Counts a view of a public policy or item page for the policy's evaluation (no cookies, no identifiers).
   The page includes this file with data-policy and data-url; a visit that came from a search result is
   counted as such too. Works with cached pages, fails silently. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.policy || !script.dataset.url || !navigator.sendBeacon) { return; }
  var kinds = [script.dataset.kind || "page_view"];
  try {
    if (document.referrer) {
      var ref = new URL(document.referrer);
      if (ref.host === window.location.host && (ref.pathname.indexOf("/search") === 0 || ref.search.indexOf("q=") >= 0)) {
        kinds.push("search_visit");
      }
    }
  } catch (e) { /* an unreadable referrer counts as a plain view */ }
  var body = JSON.stringify({ policy: Number(script.dataset.policy), kinds: kinds });
  navigator.sendBeacon(script.dataset.url, new Blob([body], { type: "application/json" }));
})();
