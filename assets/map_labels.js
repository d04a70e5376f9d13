/* Region labels on screen follow the export's rule (layouts/figures/labels.py): only labels that
   fit, none overlapping another or the inset, whatever the width the map is drawn at. The server
   places them for a nominal frame; here, after each draw, the labels (in value order, largest
   first) are measured as drawn and any that touches a label already kept, the inset, or the
   map's right edge is hidden. */
(function () {
  "use strict";
  var MAPS = ["map"];

  function rect(el) { return el.getBoundingClientRect(); }
  function hits(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function fit(gd) {
    var frame = gd.querySelector(".main-svg");
    if (!frame) return;
    var edge = rect(frame);
    var inset = gd.querySelector("g.geo2 .bglayer rect, g.geo2 .bglayer");
    var insetBox = inset && gd.querySelector("g.geo2 .frame") ? rect(inset) : null;
    // the labels trace of the main map (the inset's own label is on geo2)
    gd.querySelectorAll("g.geo:not(.geo2) .trace.scattergeo").forEach(function (trace) {
      var texts = trace.querySelectorAll("text");
      var kept = [];
      texts.forEach(function (t) {
        t.style.visibility = "";
        var box = rect(t);
        if (box.width === 0) return;
        var clash = box.right > edge.right - 2 || box.left < edge.left
          || (insetBox && insetBox.width > 0 && hits(box, insetBox))
          || kept.some(function (k) { return hits(box, k); });
        if (clash) t.style.visibility = "hidden";
        else kept.push(box);
      });
    });
  }

  function watch(id) {
    var host = document.getElementById(id);
    var gd = host && host.querySelector(".js-plotly-plot");
    if (!gd || typeof gd.on !== "function") { window.setTimeout(function () { watch(id); }, 200); return; }
    if (gd._paLabels) return;
    gd._paLabels = true;
    var again = function () { window.requestAnimationFrame(function () { fit(gd); }); };
    ["plotly_afterplot", "plotly_relayout", "plotly_restyle"].forEach(function (n) { gd.on(n, again); });
    window.addEventListener("resize", again);
    again();
  }

  function start() { MAPS.forEach(watch); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
