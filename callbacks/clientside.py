"""Callbacks that run in the browser: no round trip where the answer is already there."""

from __future__ import annotations


# "Copy link" is a plain button copied by assets/a11y.js (no round trip, no callback): the view
# is the URL, so the link is the address bar as it is now.
