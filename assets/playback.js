/* The time player (see callbacks/playback.py): Play/Pause toggles a dcc.Interval; each tick moves
   the period slider one stop, once the views are drawn for the current URL. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  playback: {
    step: function (clicks, ticks, value, min, max, step, paused) {
      const no = window.dash_clientside.no_update;
      const trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || '';
      const playing = 'button play-button playing';
      const stopped = 'button play-button';
      if (trigger.startsWith('play.')) {
        if (!paused) { return [no, true, stopped]; }  // Pause: stay at this period
        // Play: from the first period, or on from the current one
        const start = (value === null || value === undefined || value >= max) ? min : no;
        return [start, false, playing];
      }
      // a tick: wait until every view shows the current URL (a slow answer delays, never skips)
      const drawn = document.getElementById('rendered-search');
      if (paused || !drawn || drawn.textContent !== window.location.search) { return [no, no, no]; }
      const next = (value === null || value === undefined) ? min : value + step;
      if (next > max) { return [no, true, stopped]; }
      return [next, next >= max, next >= max ? stopped : playing];
    },
  },
});
