/* gongkai public site: small progressive enhancements. Every page works without this file.
   - 关怀版 reading options: high contrast and large pointer (remembered in localStorage, applied before the
     first paint by the inline script in base.html), read-aloud of the main content with the browser's
     speech synthesis where it exists.
   - Stacked tables on small screens: each cell gets its column heading as data-label (shown by site.css). */
(function () {
  "use strict";
  var root = document.documentElement;

  function store(key, on) {
    try { localStorage.setItem(key, on ? "1" : "0"); } catch (e) { /* private mode: the choice lasts this page */ }
  }

  var OPTIONS = { contrast: ["contrast", "gk-contrast"], pointer: ["big-pointer", "gk-pointer"] };
  document.querySelectorAll("[data-care-option]").forEach(function (button) {
    var option = OPTIONS[button.getAttribute("data-care-option")];
    if (!option) return;
    button.hidden = false;
    button.setAttribute("aria-pressed", root.classList.contains(option[0]) ? "true" : "false");
    button.addEventListener("click", function () {
      var on = !root.classList.contains(option[0]);
      root.classList.toggle(option[0], on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      store(option[1], on);
    });
  });

  var reader = document.querySelector("[data-read-aloud]");
  if (reader && "speechSynthesis" in window && "SpeechSynthesisUtterance" in window) {
    var synth = window.speechSynthesis;
    var startLabel = reader.textContent;
    var stopLabel = reader.getAttribute("data-label-stop") || startLabel;
    var reading = false;
    var finish = function () {
      reading = false;
      reader.textContent = startLabel;
      reader.setAttribute("aria-pressed", "false");
    };
    reader.hidden = false;
    reader.setAttribute("aria-pressed", "false");
    reader.addEventListener("click", function () {
      if (reading) { synth.cancel(); finish(); return; }
      var main = document.getElementById("main");
      var text = (main && main.innerText) || "";
      /* Short utterances: some engines stop a long one after about 15 seconds. */
      var parts = text.replace(/\s+\n/g, "\n").match(/[^。！？!?；;\n]+[。！？!?；;]?/g) || [];
      parts = parts.map(function (p) { return p.trim(); }).filter(Boolean);
      if (!parts.length) return;
      synth.cancel();
      reading = true;
      reader.textContent = stopLabel;
      reader.setAttribute("aria-pressed", "true");
      var lang = root.lang === "en" ? "en-US" : "zh-CN";
      parts.forEach(function (part, i) {
        var u = new SpeechSynthesisUtterance(part);
        u.lang = lang;
        u.rate = 0.9;
        if (i === parts.length - 1) { u.onend = finish; u.onerror = finish; }
        synth.speak(u);
      });
    });
    window.addEventListener("pagehide", function () { synth.cancel(); });
  }

  document.querySelectorAll("table.data").forEach(function (table) {
    var heads = [];
    table.querySelectorAll("thead th").forEach(function (th) { heads.push(th.textContent.trim()); });
    if (!heads.length) return;
    table.classList.add("stackable");
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (cell, i) {
        if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i]);
      });
    });
  });
})();
