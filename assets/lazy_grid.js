/* The policy grid's rows are fetched when the grid comes into view (issue #24).

   An IntersectionObserver watches the grid (`#table`, with the charts' margin of
   assets/lazy_charts.js) and says whether it is near the screen in the `grid-in-view` store,
   which every interaction reads: a click while the grid is off the screen sends the grid no rows,
   only the view they are for (callbacks/grid.py `unfetched`). The grid then drops its rows (a
   purge: it never shows the last view's rows) and asks for its first block; the grid's answering
   callback (callbacks/grid.py) calls `paGrid.hold(request)`, which keeps the request while the
   grid is off the screen, and sends the latest one kept through the `grid-request` store (the
   server's `rows_block`, for the URL shown then) when the grid comes into view.
   Hooks: `dash_clientside.set_props` (public, Dash >= 2.16) and IntersectionObserver; without
   either, `hold` keeps nothing and every request goes to the server at once (as before). */
(function () {
  "use strict";
  var MARGIN = 200; // px beyond the screen that count as in view (as assets/lazy_charts.js)
  var GRID = "table"; // layouts/ids.py TABLE
  var IN_VIEW = "grid-in-view"; // layouts/ids.py GRID_IN_VIEW
  var REQUEST = "grid-request"; // layouts/ids.py GRID_REQUEST
  var near = null; // null: not known yet (then nothing is held)
  var pending = null; // the latest block request kept while the grid is off the screen
  var observer = null;

  function setProps(id, props) {
    var dc = window.dash_clientside;
    if (dc && typeof dc.set_props === "function") dc.set_props(id, props);
  }

  function seen(isNear) {
    if (isNear !== near) {
      near = isNear;
      setProps(IN_VIEW, { data: near });
    }
    if (near && pending) {
      var request = Object.assign({}, pending, { asked: Date.now() }); // each ask is new
      pending = null;
      setProps(REQUEST, { data: request });
    }
  }

  function watch() {
    if (observer || !("IntersectionObserver" in window)) return;
    var dc = window.dash_clientside;
    if (!dc || typeof dc.set_props !== "function") return;
    var grid = document.getElementById(GRID);
    if (!grid) return;
    observer = new IntersectionObserver(
      function (entries) {
        seen(entries[entries.length - 1].isIntersecting);
      },
      { rootMargin: MARGIN + "px 0px" }
    );
    observer.observe(grid);
  }

  // The layout arrives after this script: the grid's answering callback calls `watch` on each
  // request (the first when the grid mounts), so watching starts with the grid.
  window.paGrid = {
    watch: watch,
    /* true: the grid is off the screen, `request` is kept and sent when it comes into view */
    hold: function (request) {
      watch();
      if (near !== false) return false;
      pending = request;
      return true;
    },
    near: function () {
      return near;
    },
  };
})();
