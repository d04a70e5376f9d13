/* The time player (see callbacks/playback.py): Play/Pause toggles a dcc.Interval; each tick writes
   the next period into the URL (every view answers with a patch; the slider follows the URL), once
   the views are drawn for the current URL, so a slow answer delays a frame and never stacks them;
   a frame stays on screen for a whole tick after the tick that first saw it drawn. */
(function () {
  let shown = {search: null, at: 0};  // the frame last seen drawn, and when
  // Slider values (data/periods.py): month numbers (year * 12 + month - 1) for years, quarters and
  // months; DAY_BASE + days since 1970-01-01 for ISO weeks (step 7) and days (step 1).
  const DAY_BASE = 1000000, DAY = 86400000;
  function dayNumber(y, m, d) { return Math.round(Date.UTC(y, m - 1, d) / DAY); }
  function isoWeekMonday(year, week) {  // the Monday of ISO week `week` of `year`, as a day number
    const jan4 = dayNumber(year, 1, 4);
    const weekday = (new Date(jan4 * DAY).getUTCDay() + 6) % 7;  // Monday = 0
    return jan4 - weekday + (week - 1) * 7;
  }
  function monthOf(period) {  // a period string -> its slider value (see above)
    const m = /^(\d{4})(?:Q([1-4])|-(\d{2})|-W(\d{2})|-(\d{2})-(\d{2}))?$/.exec(period || '');
    if (!m) { return null; }
    const year = Number(m[1]);
    if (m[4]) { return DAY_BASE + isoWeekMonday(year, Number(m[4])); }
    if (m[5]) { return DAY_BASE + dayNumber(year, Number(m[5]), Number(m[6])); }
    const month = m[2] ? (Number(m[2]) - 1) * 3 : (m[3] ? Number(m[3]) - 1 : 0);
    return year * 12 + month;
  }
  function periodOf(value, step) {  // the inverse, at the slider's step
    if (value >= DAY_BASE) {
      const day = new Date((value - DAY_BASE) * DAY);
      if (step === 1) { return day.toISOString().slice(0, 10); }
      // the ISO week holding `day`: its Thursday's year, and the week of that year
      const thursday = new Date(day.getTime() + (3 - (day.getUTCDay() + 6) % 7) * DAY);
      const year = thursday.getUTCFullYear();
      const week = 1 + Math.round((thursday.getTime() / DAY - isoWeekMonday(year, 1) - 3) / 7);
      return year + '-W' + String(week).padStart(2, '0');
    }
    const year = Math.floor(value / 12), month = value % 12 + 1;
    if (step === 12) { return String(year); }
    if (step === 3) { return year + 'Q' + (Math.floor((month - 1) / 3) + 1); }
    return year + '-' + String(month).padStart(2, '0');
  }
  function withPeriod(value, step) {
    const params = new URLSearchParams(window.location.search);
    params.set('period', periodOf(value, step));  // a step the data picked stays unwritten
    return '?' + params.toString().replace(/%2C/g, ',');
  }
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    playback: {
      step: function (clicks, ticks, min, max, step, paused, interval) {
        const no = window.dash_clientside.no_update;
        const ctx = window.dash_clientside.callback_context;
        const trigger = (ctx.triggered[0] || {}).prop_id || '';
        const playing = 'button play-button playing';
        const stopped = 'button play-button';
        const current = monthOf(new URLSearchParams(window.location.search).get('period'));
        if (trigger.startsWith('play.')) {
          if (!paused) { return [no, true, stopped]; }  // Pause: stay at this period
          // Play: from the first period, or on from the current one
          const atEnd = current === null || current + step > max;
          return [atEnd ? withPeriod(min, step) : no, false, playing];
        }
        const drawn = document.getElementById('rendered-search');
        if (paused || !drawn || drawn.textContent !== window.location.search) {
          return [no, no, no];
        }
        const now = Date.now();
        if (shown.search !== window.location.search) {  // drawn since the last tick: show it
          shown = {search: window.location.search, at: now};
          return [no, no, no];
        }
        if (now - shown.at < (interval || 900) / 2) { return [no, no, no]; }
        const next = current === null ? min : current - ((current - min) % step) + step;
        if (next > max) { return [no, true, stopped]; }
        const last = next + step > max;
        // A frame replaces the address instead of adding a history entry (the back button leaves
        // the animation, it does not step back through every frame); dcc.Location reads the new
        // address on popstate.
        window.history.replaceState(window.history.state, '', withPeriod(next, step));
        window.dispatchEvent(new PopStateEvent('popstate', {state: window.history.state}));
        return [no, last, last ? stopped : playing];
      },
    },
  });
})();
