/* 关怀版: the reading options chosen earlier (site.js), applied before the first paint. A file, not an inline
   script: public pages carry a strict Content-Security-Policy (script-src 'self') and are cached. */
try {
  var c = document.documentElement.classList;
  if (localStorage.getItem("gk-contrast") === "1") c.add("contrast");
  if (localStorage.getItem("gk-pointer") === "1") c.add("big-pointer");
} catch (e) {}
