/* The place filter's full option list, loaded after the first paint (issue #24).

   The first page holds only the options of the places its link selects; every province and city
   is one JSON file of this app (callbacks/place_options.py: its URL in the `places-src` store,
   cached for a year under a name with its digest). It is fetched once, whichever comes first:
   the dropdown gets focus (so a keyboard or mouse user typing a name searches the whole list),
   any pointer or key press on the page, its value changes, or the browser is idle after the
   first paint (requestIdleCallback, with a timeout). Until then the page holds the link's places
   and the ones its map can select (callbacks/first_paint.py first_page_places): dcc.Dropdown
   drops a value it has no option for. The list is set with
   `dash_clientside.set_props` on the dropdown's `options`, labelled in the page's language.
   Hooks: `dash_clientside.set_props` (public, Dash >= 2.16) and the callback of
   callbacks/place_options.py (`dash_clientside.placeOptions.watch`, called with the page and on
   each change of the dropdown's value); `<html lang>` (assets/a11y.js). Without `set_props`
   the list stays the link's places. */
(function () {
  "use strict";
  var DROPDOWN = "f-region"; // layouts/ids.py F_REGION
  var IDLE_TIMEOUT = 2000; // ms: the latest the list is loaded after the first paint
  var src = null; // the file's URL, once the page has said it
  var state = "waiting"; // "waiting" | "loading" | "loaded"

  var places = null; // [[value, Chinese, English], ...] once loaded
  var shownIn = null; // the language the options were last set in

  function language() {
    return (document.documentElement.lang || "zh").slice(0, 2) === "en" ? "en" : "zh";
  }

  /* The options in the page's language, searched by both names (layouts/page.py
     labelled_options); set again when the language changes (assets/a11y.js keeps <html lang>
     in step with the language switch). Text labels: Dash 4.4's renderer fails on components
     set with set_props into an open dropdown. */
  function show() {
    var lang = language();
    if (!places || lang === shownIn) return;
    shownIn = lang;
    window.dash_clientside.set_props(DROPDOWN, {
      options: places.map(function (p) {
        return { value: p[0], label: lang === "en" ? p[2] : p[1], search: p[1] + " " + p[2] };
      }),
    });
  }

  function load() {
    var dc = window.dash_clientside;
    if (!src || state !== "waiting" || !dc || typeof dc.set_props !== "function") return;
    state = "loading";
    window
      .fetch(src, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (list) {
        state = "loaded";
        places = list;
        show();
        new MutationObserver(show).observe(document.documentElement, {
          attributes: true,
          attributeFilter: ["lang"],
        });
      })
      .catch(function (error) {
        state = "waiting"; // tried again on the next focus
        console.warn("place options not loaded:", error);
      });
  }

  function onDropdown(event) {
    var target = event.target;
    if (target && target.closest && target.closest("#" + DROPDOWN)) load();
  }

  function start(url) {
    src = url;
    document.addEventListener("focusin", onDropdown, true);
    // any press: a click on the map may select a place of another level than the page holds
    document.addEventListener("pointerdown", load, true);
    document.addEventListener("keydown", load, true);
    window.requestAnimationFrame(function () {
      if ("requestIdleCallback" in window) {
        window.requestIdleCallback(load, { timeout: IDLE_TIMEOUT });
      } else {
        window.setTimeout(load, IDLE_TIMEOUT);
      }
    });
  }

  /* A trace's regions' names: from its boundary layer's feature properties (`name_zh`,
     `name_en`; the hovers read them the same way, layouts/figures/china_map.py). On the page
     the layer is a URL that plotly.js fetched and keeps in `window.PlotlyGeoAssets[url]`. */
  var namesOf = {};
  function layerNames(geojson) {
    var key = typeof geojson === "string" ? geojson : null;
    if (key && namesOf[key]) return namesOf[key];
    var layer = key ? (window.PlotlyGeoAssets || {})[key] : geojson;
    if (!layer || !Array.isArray(layer.features)) return null;
    var names = {};
    layer.features.forEach(function (f) {
      var p = f.properties || {};
      if (p.adcode && p.name_zh) names[p.adcode] = { zh: p.name_zh, en: p.name_en || p.name_zh };
    });
    if (key) namesOf[key] = names;
    return names;
  }

  /* Until the list has loaded: the options with every place the map draws that they lack (a
     city map shown live), named in the page's language as the map's hover names it, searched
     by both names. dcc.Dropdown drops a value it has no option for: a city clicked on the map
     would be lost. */
  function drawnPlaces(figure, options) {
    var known = new Set(options.map(function (o) { return o.value; }));
    var lang = language();
    var out = { added: [], waiting: false };
    (figure.data || []).forEach(function (trace) {
      var names = trace.geojson ? layerNames(trace.geojson) : null;
      if (!names) {
        out.waiting = out.waiting || typeof trace.geojson === "string";
        return;
      }
      (trace.locations || []).forEach(function (code) {
        var name = names[code];
        if (known.has(code) || !name) return;
        known.add(code);
        out.added.push({ value: code, label: name[lang], search: name.zh + " " + name.en });
      });
    });
    return out;
  }

  /* The options with the drawn places; a layer plotly.js is still fetching is waited for
     (polled: plotly.js says nothing when it has it) and the options then set with set_props,
     before a reader can click a place on the new map. */
  function withDrawnPlaces(figure, options) {
    var dc = window.dash_clientside;
    if (state === "loaded" || !figure || !Array.isArray(options)) return dc.no_update;
    var found = drawnPlaces(figure, options);
    if (found.waiting && typeof dc.set_props === "function") {
      var tries = 0;
      var poll = function () {
        if (state === "loaded") return;
        var later = drawnPlaces(figure, options);
        if (!later.waiting) {
          if (later.added.length) dc.set_props(DROPDOWN, { options: options.concat(later.added) });
        } else if ((tries += 1) < 600) {
          window.setTimeout(poll, 50);
        }
      };
      window.setTimeout(poll, 50);
    }
    return found.added.length ? options.concat(found.added) : dc.no_update;
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    placeOptions: {
      /* `url`: the store's file URL; called with the page, then on each change of the value */
      watch: function (url, value, figure, options) {
        var ctx = window.dash_clientside.callback_context;
        var mapOnly = ctx && ctx.triggered && ctx.triggered.length &&
          ctx.triggered.every(function (t) { return t.prop_id.indexOf("figure") >= 0; });
        if (url && src === null) start(url);
        else if (!mapOnly) load(); // the selection changed: its labels are in the full list
        return withDrawnPlaces(figure, options);
      },
    },
  });
})();
