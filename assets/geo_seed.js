/* The base topojson, read once for every geo subplot (issue #24, first load).

   plotly.js fetches `world_110m.json` for each geo subplot that starts drawing before the file
   has arrived: the map and its South China Sea inset fetch it twice. plotly reads
   `window.PlotlyGeoAssets.topojson[name]` first (how its own offline bundle, plotly-geo-assets.js,
   provides the files), so the file the page's head preloads (app.py `FIRST_VIEW_FILES`) is read
   here once and put there; plotly then fetches none. If the preload is missing or fails, nothing
   is set and plotly fetches the file itself, as before. */
(function () {
  "use strict";
  var link = document.querySelector('link[rel="preload"][href$="/world_110m.json"]');
  if (!link || !window.fetch) return;
  fetch(link.href, { credentials: "same-origin" })
    .then(function (r) {
      return r.ok ? r.json() : null;
    })
    .then(function (topojson) {
      if (!topojson) return;
      var assets = (window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} });
      assets.topojson = assets.topojson || {};
      if (!assets.topojson.world_110m) assets.topojson.world_110m = topojson;
    })
    .catch(function () {
      /* plotly fetches it itself */
    });
})();
