"""Component trees of the diffusion views: the time slider with its player (under the map) and the
card holding the first-adoption map and the adoption curve. Filled in by callbacks from the URL."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from layouts import ids
from layouts.i18n import t

FREQS = ("year", "quarter", "month")
SPEEDS = {"slow": 1600, "normal": 900, "fast": 450}  # ms a frame stays on screen while playing


def _both(key: str) -> list[html.Span]:
    return [html.Span(t(key, "zh"), className="l-zh"), html.Span(t(key, "en"), className="l-en")]


def _aria(**attrs: str) -> dict[str, Any]:
    """ARIA attributes as Dash takes them (``aria-live`` …: not Python names)."""
    return {f"aria-{k}": v for k, v in attrs.items()}


def player() -> html.Div:
    """Play/pause, the period slider (keyboard: arrows, Home, End), the period shown, the speed
    and the cumulative switch. The slider's stops come from the data (``spread.slider_config``)."""
    return html.Div(
        [
            html.Button(
                [
                    html.Span(["▶ ", *_both("play")], className="when-paused"),
                    html.Span(["❚❚ ", *_both("pause")], className="when-playing"),
                ],
                id=ids.PLAY,
                className="button play-button",
                title="Play / pause · 播放 / 暂停",
                n_clicks=0,
            ),
            html.Div(
                [
                    dcc.Slider(
                        id=ids.PERIOD,
                        min=0,
                        max=1,
                        step=1,
                        value=None,
                        marks={},
                        included=False,
                        allow_direct_input=False,
                        updatemode="mouseup",
                    ),
                ],
                className="period-slider",
            ),
            html.Output(id=ids.PERIOD_LABEL, className="period-label", **_aria(live="polite")),
            html.Div(
                [
                    html.Label(_both("speed"), id=ids.label_of(ids.SPEED), className="field-label"),
                    dcc.RadioItems(
                        id=ids.SPEED,
                        options=[{"label": _both(k), "value": ms} for k, ms in SPEEDS.items()],
                        value=SPEEDS["normal"],
                        inline=True,
                        className="segmented small",
                    ),
                ],
                className="speed",
            ),
            dcc.Checklist(
                id=ids.CUMULATIVE,
                options=[{"label": _both("cumulative_switch"), "value": "on"}],
                value=[],
                className="cumulative-toggle",
            ),
            dcc.Interval(id=ids.PLAY_TIMER, interval=SPEEDS["normal"], disabled=True),
        ],
        className="player",
        role="group",
        **_aria(label="时间播放 / time player"),
    )


def freq_options(dense: tuple[str, ...]) -> list[dict]:
    """The timeline step's options; a step the data is too sparse for is disabled."""
    return [
        {"label": _both(f), "value": f, "disabled": f not in dense and f != "year"} for f in FREQS
    ]


def diffusion_card(topojson_url: str, graph_config: dict) -> html.Section:
    """The first-adoption map above the adoption curve, each the width of the main column."""
    config = dict(graph_config, topojsonURL=topojson_url)
    return html.Section(
        [
            dcc.Graph(id=ids.ADOPTION_MAP, config=config, className="adoption-map"),  # type: ignore[arg-type]
            dcc.Graph(id=ids.ADOPTION_CURVE, config=config, className="adoption-curve"),  # type: ignore[arg-type]
        ],
        className="card diffusion-card",
    )
