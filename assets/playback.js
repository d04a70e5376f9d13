/* The time player (see callbacks/playback.py, layouts/play_frames.py). Play asks the server once
   for the frames of the view, from the period after the one shown (one store; a slider of more
   than `play_frames.CHUNK` stops comes a chunk at a time, the next asked for while one plays);
   this player then shows them in the browser: per frame,
   `Plotly.update` of each chart on screen (the paths that change; the constant ones the first
   time a chart plays), the summary, the lines beside the map, the chips and the period label
   through `dash_clientside.set_props` (no callback listens to them: no request), and the slider's
   thumb moved in place (setting its value would be an event: a request per frame). A chart off
   screen, or not drawn yet (assets/lazy_charts.js: `data-pa-waiting`), is left alone and catches
   up with the frame shown when it comes into view. The grid is not played: its rows follow the URL.
   On pause, and after the last frame, the URL of the period shown is written once
   (`set_props("url", ...)`): the views answer it as any URL change, so the page is then exactly
   what that URL shows. A slider move or any other change of the views during Play stops it. */
(function () {
  "use strict";
  const CLASS = { playing: "button play-button playing", stopped: "button play-button" };
  let player = null; // the animation running: its chunk of frames, the next one, what it shows
  let asking = null; // the query string frames were asked for, until they come
  let speed = 900; // ms a frame stays on screen (the speed control)
  function viewKey(search) { // the view without its period: the frames' key
    const params = new URLSearchParams(search || "");
    params.delete("period");
    params.sort();
    return params.toString();
  }
  function drawnSearch() {
    const el = document.getElementById("rendered-search");
    return el ? el.textContent : null;
  }
  function setProps(id, props) { window.dash_clientside.set_props(id, props); }

  function nearScreen(gd) {
    const box = gd.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight && box.width > 0;
  }
  function layoutKey(path) { // ["annotations", 1, "visible"] -> "annotations[1].visible"
    return path.reduce(function (out, part) {
      if (typeof part === "number") { return out + "[" + part + "]"; }
      return out ? out + "." + part : part;
    }, "");
  }
  function pathOf(key) { // "data.0.z" -> ["data", 0, "z"]
    return key.split(".").map(function (p) { return /^\d+$/.test(p) ? Number(p) : p; });
  }

  function update(gd, chart, row, held) {
    // one Plotly.update per chart, of the paths whose value differs from what the chart shows
    // (`held`: path -> JSON of the value last set; a chart's first frame also sets the constant
    // paths): every trace attribute by trace (undefined: left as it is) and every layout one
    const traces = {}, layout = {};
    let changed = false;
    function put(path, value) {
      const key = path.join("."), text = JSON.stringify(value);
      if (held[key] === text) { return; }
      held[key] = text;
      changed = true;
      if (path[0] === "data") {
        (traces[path[1]] = traces[path[1]] || {})[path.slice(2).join(".")] = value;
      } else {
        layout[layoutKey(path.slice(1))] = value;
      }
    }
    if (!held["(const)"]) {
      held["(const)"] = "1";
      Object.keys(chart.const).forEach(function (k) { put(pathOf(k), chart.const[k]); });
    }
    chart.paths.forEach(function (p, i) { put(p, row[i]); });
    if (!changed) { return Promise.resolve(); }
    const indices = Object.keys(traces).map(Number);
    const restyle = {};
    indices.forEach(function (i) {
      Object.keys(traces[i]).forEach(function (attr) { restyle[attr] = []; });
    });
    Object.keys(restyle).forEach(function (attr) {
      restyle[attr] = indices.map(function (i) { return traces[i][attr]; });
    });
    return window.Plotly.update(gd, restyle, layout, indices.length ? indices : undefined);
  }

  function thumbOf() { // the slider's thumb and its half width (read before any write: no reflow)
    const thumb = document.querySelector("#period [role=slider]");
    return thumb && thumb.parentElement ? { el: thumb, half: thumb.offsetWidth / 2 } : null;
  }

  function moveThumb(thumb, value) { // the slider's thumb and marks as the slider draws them
    if (!thumb) { return; }
    const min = Number(thumb.el.getAttribute("aria-valuemin"));
    const max = Number(thumb.el.getAttribute("aria-valuemax"));
    const pct = max > min ? (value - min) / (max - min) * 100 : 0;
    // the thumb stays inside the track at both ends
    thumb.el.parentElement.style.left = "calc(" + pct + "% + " + thumb.half * (1 - pct / 50) + "px)";
    thumb.el.setAttribute("aria-valuenow", String(value));
    document.querySelectorAll("#period .dash-slider-mark").forEach(function (mark) {
      const at = parseFloat((/calc\(([-\d.]+)%/.exec(mark.style.left) || [])[1]);
      mark.classList.toggle("dash-slider-mark-outside-selection", at > pct + 1e-6);
    });
  }

  function show(i) {
    const f = player.frames;
    // every read of the page's geometry first, then the writes: one layout, not one per chart
    const thumb = thumbOf();
    const graphs = Object.keys(f.charts).map(function (id) {
      const gd = document.querySelector("#" + CSS.escape(id) + " .js-plotly-plot");
      const ready = gd && gd._fullLayout && !gd.hasAttribute("data-pa-waiting") && nearScreen(gd);
      return ready ? [id, gd] : null; // a chart off screen is drawn with the frame shown later
    }).filter(Boolean);
    const texts = [["period-label", "children", f.labels[i]], ["summary", "children", f.summary[i]],
      ["map-beside", "children", f.beside[i]], ["chips", "children", f.chips[i]],
      ["clear-all", "hidden", !f.chips[i].length]];
    texts.forEach(function (t) { // each only when it changes (Dash renders what it is given)
      const text = JSON.stringify(t[2]);
      if (player.texts[t[0]] !== text) {
        player.texts[t[0]] = text;
        setProps(t[0], { [t[1]]: t[2] });
      }
    });
    moveThumb(thumb, f.values[i]);
    return Promise.all(graphs.map(function (pair) {
      const chart = f.charts[pair[0]], gd = pair[1];
      if (!player.held.has(gd)) { player.held.set(gd, {}); }
      return update(gd, chart, chart.frames[i], player.held.get(gd));
    }));
  }

  function stop(write) {
    if (!player) { return; }
    const was = player;
    player = null;
    window.cancelAnimationFrame(was.timer);
    setProps("play", { className: CLASS.stopped });
    if (write && was.shown !== null) {
      const params = new URLSearchParams(window.location.search);
      params.set("period", was.shown); // a step the data picked stays unwritten
      setProps("url", { search: "?" + params.toString().replace(/%2C/g, ",") });
    }
  }

  function askNext() { // the next chunk of frames, asked for while this one plays
    const end = player.frames.first + player.frames.periods.length;
    player.next = null;
    player.nextFirst = end < player.frames.total ? end : null;
    if (player.nextFirst !== null) {
      setProps("play-ask", { data: { search: player.asked, from: end } });
    }
  }

  function schedule(running, due) { // the next frame at `due`, on the page's animation frames (a
    // tab out of sight pauses them, and the player with them)
    running.timer = window.requestAnimationFrame(function wait() {
      if (player !== running) { return; }
      if (performance.now() >= due) { tick(); } else { running.timer = window.requestAnimationFrame(wait); }
    });
  }

  function tick() {
    if (!player) { return; }
    if (drawnSearch() !== player.drawn) { stop(false); return; } // the views changed meanwhile
    const running = player;
    if (running.index >= running.frames.periods.length) { // this chunk is over
      if (!running.next) { // the next one is on its way: the frame shown stays
        schedule(running, performance.now() + 50);
        return;
      }
      running.frames = running.next;
      running.index = 0;
      askNext();
    }
    const started = performance.now(), i = running.index, f = running.frames;
    show(i).then(function () {
      if (player !== running) { return; }
      running.shown = f.periods[i];
      window.paPlayback.shown.push([f.periods[i], performance.now()]);
      if (f.first + i + 1 >= f.total) { stop(true); return; } // the last period: stop there
      running.index = i + 1;
      schedule(running, started + speed);
    }, function (err) {
      console.warn("playback: a frame failed", err);
      stop(true);
    });
  }

  function start(frames) {
    if (!frames.periods.length) { setProps("play", { className: CLASS.stopped }); return; }
    player = {
      frames: frames, index: 0, shown: null, timer: null, asked: frames.asked,
      next: null, nextFirst: null, held: new WeakMap(), texts: {}, drawn: drawnSearch(),
    };
    window.paPlayback.shown = [];
    askNext();
    tick();
  }

  // a slider move while playing stops Play (the slider writes its own URL)
  ["pointerdown", "keydown"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      if (player && e.target.closest && e.target.closest("#period")) { stop(false); }
    }, true);
  });
  window.paPlayback = { shown: [] }; // [period, ms] of each frame shown (tests/bench/animation.py)

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    playback: {
      toggle: function (clicks, ms) {
        const no = window.dash_clientside.no_update;
        speed = ms || speed;
        if (player || asking !== null) { // Pause: the URL says the period shown
          asking = null;
          stop(true);
          return [no, CLASS.stopped];
        }
        asking = window.location.search; // Play: on from the period shown (the server knows)
        return [{ search: asking, n: clicks }, CLASS.playing];
      },
      frames: function (frames) {
        if (!frames) { return; }
        if (player) { // the next chunk, if it is the one this animation asked for
          if (frames.first === player.nextFirst && frames.asked === player.asked) {
            player.next = frames;
          }
          return;
        }
        const asked = asking;
        asking = null;
        if (asked === null || frames.asked !== asked) { return; }
        if (viewKey(window.location.search) !== viewKey(asked)) {
          setProps("play", { className: CLASS.stopped }); // the view changed while they came
          return;
        }
        start(frames);
      },
      speed: function (ms) { speed = ms || 900; },
    },
  });
})();
