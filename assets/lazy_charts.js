/* Charts out of view are drawn when they come into view (issue #15 item 4, issue #24 item 3).

   dcc.Graph draws with the global `Plotly.react`; this wraps it once plotly.js has loaded:
   - a graph out of the screen (plus a margin) is not drawn yet, the first time or after a click:
     the latest figure it was given is kept, and drawn when an IntersectionObserver sees the graph
     near the screen (or before printing, or on `window.paCharts.drawAll()`). A hidden graph (its
     box has no size: display none, as the own-dimension slots a table does not fill) is not in
     view either: it is drawn when it is shown near the screen. dcc.Graph calls
     react with a graph's next figure only once the promise of the last one resolves: for a
     graph never drawn that promise resolves when it is drawn (dcc.Graph then binds its events
     to the drawn graph), and a figure it queued meanwhile is drawn right after (`eager`); for a
     graph drawn before it resolves at once, so the figure kept is always the latest.
     A graph waiting carries `data-pa-waiting` (tests wait for it to go). Graphs in view go
     straight to plotly, so a click redraws only the charts the user sees.
   - dcc.Graph resizes a graph after its first draw with `Plotly.Plots.resize`, which deletes
     `layout.height` to fit the container: a figure that sets its height (ranking, breakdowns)
     keeps it (`keepHeight`), so a fresh link draws what a click draws.
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
  var eager = new WeakMap(); // graph div -> token of a draw just asked for (drawAll, in view)
  var INTERNALS = /^[34]\./; // plotly.js versions whose gd._context / gd._fullLayout we know
  var observer = null;

  function nearScreen(gd) {
    var box = gd.getBoundingClientRect();
    // hidden (display: none, a slot the table does not fill) or not laid out: not in view; the
    // observer reports it when it is shown near the screen, and it is drawn then
    if (!box.width && !box.height) return false;
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
    var token = {};
    eager.set(gd, token);
    react.apply(window.Plotly, job.args).then(
      function (out) {
        job.resolve.forEach(function (fn) {
          fn(out);
        });
        calm(gd, token);
      },
      function (err) {
        if (!job.reject.length) console.error(err); // nobody waits on it: say it failed
        job.reject.forEach(function (fn) {
          fn(err);
        });
        calm(gd, token);
      }
    );
  }

  function calm(gd, token) {
    // dcc.Graph hands over a figure it queued behind the one just drawn in the microtasks
    // after that draw resolves: until the next task, such a figure is drawn too
    setTimeout(function () {
      if (eager.get(gd) === token) eager.delete(gd);
    }, 0);
  }

  function keepHeight(Plotly, internals) {
    // dcc.Graph calls Plotly.Plots.resize once after a graph's first draw; plotly's resize
    // deletes layout.height and width to fit both to the container, so a figure that sets its
    // height (ranking, breakdowns) drew at the container's height on a fresh link. A graph that
    // is not responsive and whose figure sets its height but not its width is fitted in width
    // only: relayout with autosize, as plotly's resize does, the height given again.
    var plots = Plotly.Plots;
    if (!plots || typeof plots.resize !== "function" || typeof Plotly.relayout !== "function") {
      return;
    }
    var resize = plots.resize;
    plots.resize = function (gd) {
      var layout = gd && gd.layout;
      var responsive = gd && gd._context && gd._context.responsive;
      if (!layout || !layout.height || layout.width || responsive || !gd.offsetParent) {
        return resize.apply(this, arguments);
      }
      var full = internals && gd._fullLayout;
      var width = parseFloat(window.getComputedStyle(gd).width); // what plotly's autosize reads
      if (full && full.height === layout.height && Math.abs(full.width - width) <= 1) {
        return Promise.resolve(gd); // drawn at this size already: nothing to redraw
      }
      // height first: plotly's relayout lets autosize clear only the sizes not given with it
      return Plotly.relayout(gd, { height: layout.height, autosize: true });
    };
  }

  function registerLocales(Plotly) {
    // plotly.js arrives async from the page head, so it may run before or after the locale
    // scripts (assets/vendor/plotly-locale-*.js); a draw before the locale is registered shows
    // the modebar in English. Registered here, once per instance, before its first draw.
    var locales = window.paPlotlyLocales;
    if (Plotly.__paLocales === (locales && locales.length) || !locales) return;
    Plotly.__paLocales = locales.length;
    locales.forEach(function (locale) {
      Plotly.register(locale);
    });
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
      registerLocales(Plotly);
      if (internals && gd && gd._context && figure && figure.config) {
        cameraOnly(gd, figure.config);
      }
      if (internals && gd && gd._fullLayout && figure && figure.layout) {
        keepTemplate(gd, figure);
      }
      var job = waiting.get(gd);
      if (job) {
        job.args = args; // still out of view: only the latest figure will be drawn
        return settled(gd, job);
      }
      var near = !lazy || !gd || !(gd instanceof Element) || nearScreen(gd) || eager.has(gd);
      if (near) {
        if (gd instanceof Element) drawnOnce.add(gd);
        var drawing = react.apply(Plotly, args);
        if (eager.has(gd) && drawing && typeof drawing.then === "function") {
          // a queued figure drawn through: the one queued after it follows when it resolves
          var token = {};
          eager.set(gd, token);
          drawing.then(
            function () {
              calm(gd, token);
            },
            function () {
              calm(gd, token);
            }
          );
        }
        return drawing;
      }
      job = { args: args, resolve: [], reject: [] };
      waiting.set(gd, job);
      gd.setAttribute("data-pa-waiting", "");
      observer.observe(gd);
      return settled(gd, job);
    };
    keepHeight(Plotly, internals);
    Plotly.__paWrapped = true;
  }

  function settled(gd, job) {
    // dcc.Graph draws a graph's figures one after another: it calls react with the next figure
    // only once the promise of the last one resolves. A graph drawn before is ready for its
    // events, so its promise resolves at once and the next figure replaces the one kept (drawn
    // later would be the older one); a graph never drawn resolves when it is drawn (dcc.Graph
    // binds its events to a drawn graph then)
    if (drawnOnce.has(gd)) return Promise.resolve(gd);
    return new Promise(function (resolve, reject) {
      job.resolve.push(resolve);
      job.reject.push(reject);
    });
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
