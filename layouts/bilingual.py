"""The small pieces every component tree shares: a label in both languages (:func:`L`), a control
named by its label (:func:`named`) and ARIA attributes (:func:`aria`). ``layouts/page.py`` and the
panels it holds (``player.py``, ``upload_panel.py``) use them, so a control is named one way."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from layouts import ids
from layouts.i18n import t


def L(key: str, **fmt: object) -> list[html.Span]:
    """A label in both languages; CSS shows the one the page is in."""
    return [
        html.Span(t(key, "zh", **fmt), className="l-zh"),
        html.Span(t(key, "en", **fmt), className="l-en"),
    ]


def named(control: Any, label_key: str, visible: bool = False) -> list[Any]:
    """``control`` with a label in both languages whose id is ``ids.label_of(control.id)``.

    The reusable way to name a control: a native input gets ``<label for>``; for the markup of
    Dash's and other libraries' components (radio groups, checklists, dropdowns, date pickers),
    ``assets/a11y.js`` sets ``aria-labelledby`` from the label's id. ``visible=False`` keeps the
    label for screen readers only (a group whose options already say what it is)."""
    cid = control.id
    native = isinstance(control, dcc.Input)
    label = html.Label(
        L(label_key),
        id=ids.label_of(cid),
        htmlFor=cid if native else None,
        className="field-label" if visible else "sr-only",
    )
    return [label, control]


def aria(**attrs: str) -> dict[str, Any]:
    """``aria-*`` attributes as keyword arguments of a Dash html component."""
    return {f"aria-{name}": value for name, value in attrs.items()}
