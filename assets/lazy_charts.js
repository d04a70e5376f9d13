/* Charts out of view are drawn when they come into view (issue #15 item 4, issue #24 item 3).

   dcc.Graph draws with the global `Plotly.react`; this wraps it once plotly.js has loaded:
   - a graph out of the screen (plus a margin) is not drawn yet, the first time or after a click:
     the latest figure it was given is kept, and drawn when an IntersectionObserver sees the graph
     near the screen (or before printing, or on `window.paCharts.drawAll()`). The promise
     dcc.Graph waits on resolves then, so its own events are bound to the drawn graph as usual.
     A graph waiting carries `data-pa-waiting` (tests wait for it to go). Graphs in view go
     straight to plotly, so a click redraws only the charts the user sees.
   - a new figure whose config differs only in the camera button's options (its file name follows
     the filters) updates those options in place: plotly redraws a whole graph on any config
     change, and the camera options are read only when the button is pressed.
   - a new figure whose template equals the drawn one keeps the drawn template object: plotly
     compares templates by reference, and a Patch hands dcc.Graph a copy of the layout.
   Plotly internals read (no public API says "this graph's config" or "drawn"): `gd._context` (the
   camera options) and `gd._fullLayout` (drawn template); used only with plotly.js 3 or 4
   (`INTERNALS`), else skipped (every config change then redraws: slower, still right).
   Set `window.paLazyCharts = false` before the page loads to draw every chart at once (how the
   benchmark measures the first screen without it). */
(function () {
  "use strict";
  var MARGIN = 200; // px below the screen that still count as in view (drawn while scrolling)
  var waiting = new Map(); // graph div -> {args, resolve: [fn], reject: [fn]}
  var drawnOnce = new WeakSet(); // graphs plotly has drawn through this wrapper
  var INTERNALS = /^[34]\./; // plotly.js versions whose gd._context / gd._fullLayout we know
  var observer = null;

  function nearScreen(gd) {
    var box = gd.getBoundingClientRect();
    if (!box.width && !box.height) return true; // hidden or not laid out: as plotly would
    return box.top < window.innerHeight + MARGIN && box.bottom > -MARGIN;
  }

  function cameraOnly(gd, config) {
    // the camera button's options are the only difference: set them where plotly reads them
    var ctx = gd._context;
    if (!config || !ctx || !ctx.toImageButtonOptions || !config.toImageButtonOptions) return;
    Object.keys(config.toImageButtonOptions).forEach(function (key) {
      ctx.toImageButtonOptions[key] = config.toImageButtonOptions[key];
    });
    config.toImageButtonOptions = ctx.toImageButtonOptions;
  }

  function keepTemplate(gd, figure) {
    // a Patch arrives as a copy of the figure: an equal template that is a new object makes
    // plotly recalculate and redraw the whole graph (the map: every region re-projected)
    var old = gd.layout && gd.layout.template;
    var now = figure.layout && figure.layout.template;
    if (old && now && old !== now && JSON.stringify(old) === JSON.stringify(now)) {
      figure.layout.template = old;
    }
  }

  function draw(gd, react) {
    var job = waiting.get(gd);
    if (!job) return;
    waiting.delete(gd);
    gd.removeAttribute("data-pa-waiting");
    drawnOnce.add(gd);
    if (observer) observer.unobserve(gd);
    react.apply(window.Plotly, job.args).then(
      function (out) {
        job.resolve.forEach(function (fn) {
          fn(out);
        });
      },
      function (err) {
        job.reject.forEach(function (fn) {
          fn(err);
        });
      }
    );
  }

  function wrap(Plotly) {
    if (!Plotly || Plotly.__paWrapped || typeof Plotly.react !== "function") return;
    var react = Plotly.react;
    original = react;
    var lazy = window.paLazyCharts !== false && "IntersectionObserver" in window;
    if (lazy) {
      observer = new IntersectionObserver(
        function (entries) {
          entries.forEach(function (e) {
            // in view, or (never drawn yet) scrolled past: its height then settles above
            var past = e.boundingClientRect.bottom < 0 && !drawnOnce.has(e.target);
            if (e.isIntersecting || past) draw(e.target, react);
          });
        },
        { rootMargin: MARGIN + "px 0px" }
      );
    }
    var internals = INTERNALS.test(String(Plotly.version || ""));
    Plotly.react = function (gd, figure) {
      var args = Array.prototype.slice.call(arguments);
      if (internals && gd && gd._context && figure && figure.config) {
        cameraOnly(gd, figure.config);
      }
      if (internals && gd && gd._fullLayout && figure && figure.layout) {
        keepTemplate(gd, figure);
      }
      var job = waiting.get(gd);
      if (job) {
        job.args = args; // still out of view: only the latest figure will be drawn
        return new Promise(function (resolve, reject) {
          job.resolve.push(resolve);
          job.reject.push(reject);
        });
      }
      if (!lazy || !gd || !(gd instanceof Element) || nearScreen(gd)) {
        if (gd instanceof Element) drawnOnce.add(gd);
        return react.apply(Plotly, args);
      }
      return new Promise(function (resolve, reject) {
        waiting.set(gd, { args: args, resolve: [resolve], reject: [reject] });
        gd.setAttribute("data-pa-waiting", "");
        observer.observe(gd);
      });
    };
    Plotly.__paWrapped = true;
  }

  function drawAll() {
    Array.from(waiting.keys()).forEach(function (gd) {
      draw(gd, original);
    });
  }

  // plotly.js arrives after this script (dcc loads it on demand): wrap it as it is set
  var original = null; // plotly's own react
  var current = window.Plotly;
  if (current) {
    wrap(current);
  } else {
    Object.defineProperty(window, "Plotly", {
      configurable: true,
      enumerable: true,
      get: function () {
        return current;
      },
      set: function (value) {
        current = value;
        wrap(value);
      },
    });
  }
  window.addEventListener("beforeprint", drawAll);
  window.paCharts = { drawAll: drawAll, waiting: waiting };
})();
