/* Small screens and 关怀版: the filters folded behind 筛选 so the results come first. Loaded right after the
   <details id="filters"> (synchronously, so the page never shows them open first). */
(function () {
  var d = document.getElementById("filters");
  if (d && (document.documentElement.classList.contains("care") || window.matchMedia("(max-width: 48rem)").matches)) {
    d.removeAttribute("open");
  }
})();
