/* The map's selection drawn outside plotly's geo redraw (issue #15).

   Any restyle of a plotly geo subplot re-projects every region (63 ms for the outline traces
   alone on the province map, 360 ms on the city map), so a province click, which leaves the map's
   colours and hover text as they are, must not touch the figure. The server sends the adcodes to
   outline (`map-selection` store, `layouts.viewmodel.selection`); this script draws them on the
   SVG plotly already drew: the selected regions' paths are cloned, unfilled and outlined, into a
   group above the regions' fills, and the other regions are dimmed (as plotly's `selectedpoints`
   did). On the city map (`layouts.present_map.selection`) a picked province's cities are cloned
   as one path and outlined together, outside their joint border only (an SVG mask of their
   shape hides the line inside them and between them): one line along the province's border,
   every city's fill whole; a picked city the same way, alone. Drawn again after every plotly
   draw of the graph (resize, drill-down, language switch, new values), from the last selection
   received.

   Exports do not use this: they are full figures built on the server, with the selection traces
   inside (`layouts/figures/china_map.py`).

   What it reads that plotly.js does not document: the SVG classes of a geo subplot
   (`.geo .layer.backplot`, `g.trace.choropleth`, `path.choroplethlocation`) and the d3 data bound
   to them (`__data__`: a trace group's `[0].trace.uid`, a region's `.loc`). plotly.js offers no
   public way to outline some locations without a restyle (`selectedpoints` re-projects the map).
   So it draws only under the plotly.js major version it was written and tested for (GUARD), and
   only where the drawing has the shape it expects; anywhere else it draws nothing (no outline, no
   dimming): the map still selects through its click callback and the page says what is selected.
   docs/ARCHITECTURE.md "JavaScript hooks" lists this guard. */
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var DIM = "0.45"; // china_map.DIM_OPACITY
  var INK = "#111111"; // china_map.SELECTED_BORDER
  var WIDTH = "2.2"; // china_map.OUTLINE_WIDTH on the province map
  var OUTSIDE = 1.4; // the line seen outside a city map's outline (china_map.OUTLINE_WIDTH)
  var LAYERS = /^(values|nodata)-/; // the traces that are regions (not outlines, not neighbours)
  var GUARD = { plotly: 4 }; // the plotly.js major version whose SVG this reads (4.1.1 here)
  var chosen = {}; // graph id -> adcodes to outline
  var pending = {};
  var watched = new WeakSet(); // the graphs whose plotly events call paint
  var refused = null; // the version refused (said once in the console)

  function majorOf(version) {
    var major = parseInt(String(version || "").split(".")[0], 10);
    return isNaN(major) ? null : major;
  }

  /* True when the loaded plotly.js is the major version this script reads the SVG of. */
  function supported() {
    var version = window.Plotly && window.Plotly.version;
    if (majorOf(version) === GUARD.plotly) return true;
    if (version && refused !== version) {
      refused = version;
      console.warn(
        "map_selection.js: plotly.js " + version + " is not " + GUARD.plotly +
        ".x; the map's selection is not drawn over it"
      );
    }
    return false;
  }

  /* The regions' layers with the d3 data this script reads, or null when the drawing is not
     the shape it expects (then nothing is drawn). */
  function regionsOf(back) {
    var groups = Array.prototype.slice.call(back.querySelectorAll("g.trace.choropleth"));
    var ok = groups.every(function (g) {
      var cd = g.__data__;
      return Array.isArray(cd) && cd[0] && cd[0].trace && typeof cd[0].trace.uid === "string";
    });
    return ok ? groups : null;
  }

  function unpaint(back) {
    var overlay = back.querySelector(":scope > g.pa-selection");
    if (overlay) overlay.remove();
    var defs = back.querySelector(":scope > defs.pa-selection-masks");
    if (defs) defs.remove();
    back.querySelectorAll("path.choroplethlocation").forEach(function (p) {
      if (p.style.opacity) p.style.opacity = "";
    });
  }

  function plotOf(graphId) {
    var el = document.getElementById(graphId);
    return el && el.querySelector(".js-plotly-plot");
  }

  /* The selection as outlines: [{code, regions, outside}], each entry of the store either an
     adcode (outlined along its border: the province map) or {outline, regions} (the regions shown
     in full and outlined together, once, outside their joint border: the city map, where a
     picked province's line must not cover its small cities). */
  function entriesOf(list) {
    return (list || []).map(function (e) {
      if (typeof e === "string") return { code: e, regions: [e], outside: false };
      return { code: String(e.outline), regions: (e.regions || []).map(String), outside: true };
    });
  }

  function outlinePath(overlay, i) {
    var path = overlay.childNodes[i];
    if (!path) {
      path = document.createElementNS(SVGNS, "path");
      path.setAttribute("class", "pa-outline");
      path.setAttribute("fill", "none");
      path.setAttribute("stroke", INK);
      path.setAttribute("stroke-linejoin", "round");
      overlay.appendChild(path);
    }
    return path;
  }

  /* The mask that hides the part of an outline inside its regions (their joint shape, one path:
     the borders between them cancel out), so only the line outside their border is seen. */
  function outsideMask(defs, id, d, box) {
    var mask = defs.querySelector("mask[id='" + id + "']");
    if (!mask) {
      mask = document.createElementNS(SVGNS, "mask");
      mask.setAttribute("id", id);
      mask.setAttribute("maskUnits", "userSpaceOnUse"); // the default box clips a small region's line
      mask.appendChild(document.createElementNS(SVGNS, "rect")).setAttribute("fill", "white");
      mask.appendChild(document.createElementNS(SVGNS, "path")).setAttribute("fill", "black");
      defs.appendChild(mask);
    }
    var pad = 2 * OUTSIDE + 1; // the regions' box and the line outside it
    var frame = { x: box.x - pad, y: box.y - pad, width: box.width + 2 * pad,
                  height: box.height + 2 * pad };
    [mask, mask.firstChild].forEach(function (el) {
      Object.keys(frame).forEach(function (k) { el.setAttribute(k, String(frame[k])); });
    });
    var inside = mask.lastChild;
    if (inside.getAttribute("d") !== d) inside.setAttribute("d", d);
  }

  function paintLayer(back, entries, key) {
    var groups = regionsOf(back);
    if (!groups) {
      unpaint(back);
      return;
    }
    var overlay = back.querySelector(":scope > g.pa-selection");
    if (!overlay) {
      overlay = document.createElementNS(SVGNS, "g");
      overlay.setAttribute("class", "pa-selection");
      overlay.setAttribute("pointer-events", "none");
    }
    if (back.lastChild !== overlay) back.appendChild(overlay); // above every region's fill
    var defs = back.querySelector(":scope > defs.pa-selection-masks");
    if (!defs) {
      defs = document.createElementNS(SVGNS, "defs");
      defs.setAttribute("class", "pa-selection-masks");
      back.insertBefore(defs, overlay);
    }
    var shapes = {}; // adcode -> its path data in this frame
    var shown = new Set();
    entries.forEach(function (e) {
      e.regions.forEach(function (code) { shown.add(code); });
    });
    groups.forEach(function (g) {
      if (!LAYERS.test(g.__data__[0].trace.uid)) return;
      g.querySelectorAll("path.choroplethlocation").forEach(function (p) {
        var loc = p.__data__ && p.__data__.loc;
        var opacity = shown.size && !shown.has(loc) ? DIM : "1";
        if (p.style.opacity !== opacity) p.style.opacity = opacity;
        var d = p.getAttribute("d"); // none where the region is outside this frame (the inset)
        if (shown.has(loc) && d && d !== "null") shapes[loc] = d;
      });
    });
    var outlines = [];
    entries.forEach(function (e) {
      var d = e.regions.map(function (code) { return shapes[code]; }).filter(Boolean).join("");
      if (d) outlines.push({ code: e.code, d: d, outside: e.outside });
    });
    while (overlay.childNodes.length > outlines.length) overlay.removeChild(overlay.lastChild);
    var masks = [];
    outlines.forEach(function (o, i) {
      var path = outlinePath(overlay, i);
      if (path.getAttribute("d") !== o.d) path.setAttribute("d", o.d);
      path.setAttribute("data-adcode", o.code);
      path.setAttribute("stroke-width", o.outside ? String(2 * OUTSIDE) : WIDTH);
      if (!o.outside) {
        path.removeAttribute("mask");
        return;
      }
      var id = "pa-outside-" + key + "-" + i;
      outsideMask(defs, id, o.d, path.getBBox());
      masks.push(id);
      path.setAttribute("mask", "url(#" + id + ")");
    });
    Array.prototype.slice.call(defs.childNodes).forEach(function (m) {
      if (masks.indexOf(m.getAttribute("id")) < 0) defs.removeChild(m);
    });
  }

  function paint(graphId) {
    var gd = plotOf(graphId);
    var layers = gd ? gd.querySelectorAll(".geo .layer.backplot") : [];
    if (!layers.length) return false; // not drawn yet
    var ok = supported();
    var entries = entriesOf(chosen[graphId]);
    layers.forEach(function (back, n) {
      if (ok) paintLayer(back, entries, graphId + "-" + n);
      else unpaint(back);
    });
    return ok;
  }

  function watch(graphId) {
    // plotly's events exist once the graph has been drawn: until then, look again shortly
    var gd = plotOf(graphId);
    if (gd && typeof gd.on === "function") {
      if (!watched.has(gd)) {
        watched.add(gd);
        var again = function () {
          paint(graphId);
        };
        ["plotly_afterplot", "plotly_react", "plotly_redraw", "plotly_restyle", "plotly_relayout"]
          .forEach(function (name) {
            gd.on(name, again);
          });
      }
      paint(graphId);
      return;
    }
    if (pending[graphId]) return;
    pending[graphId] = setTimeout(function () {
      pending[graphId] = null;
      watch(graphId);
    }, 100);
  }

  var api = {
    /* The clientside callback: {graph id: [adcode or {outline, regions}, ...]} for each map on
       the page (``entriesOf``). */
    draw: function (selection) {
      if (!selection || typeof selection !== "object") return;
      Object.keys(selection).forEach(function (graphId) {
        chosen[graphId] = selection[graphId] || [];
        watch(graphId);
      });
    },
    paint: paint,
    supported: supported,
    guard: GUARD,
  };
  window.paMapSelection = api;
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    map_selection: { draw: api.draw },
  });
})();
