"""Component trees of the diffusion views: the time slider with its player (under the map) and the
card holding the first-adoption map and the adoption curve. Filled in by callbacks from the URL."""

from __future__ import annotations

from dash import dcc, html

from data import periods
from layouts import ids
from layouts.bilingual import L, aria, named

FREQS = periods.FREQS
SPEEDS = {"slow": 1600, "normal": 900, "fast": 200}  # ms a frame stays on screen while playing


def player() -> html.Div:
    """Play/pause, the period slider (keyboard: arrows, Home, End), the period shown, the speed
    and the cumulative switch. The slider's stops come from the data (``spread.slider_config``)."""
    return html.Div(
        [
            html.Button(
                [
                    html.Span(["▶ ", *L("play")], className="when-paused"),
                    html.Span(["❚❚ ", *L("pause")], className="when-playing"),
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
            html.Output(id=ids.PERIOD_LABEL, className="period-label", **aria(live="polite")),
            html.Div(
                named(
                    dcc.RadioItems(
                        id=ids.SPEED,
                        options=[{"label": L(k), "value": ms} for k, ms in SPEEDS.items()],
                        value=SPEEDS["normal"],
                        inline=True,
                        className="segmented small",
                    ),
                    "speed",
                    visible=True,
                ),
                className="speed",
            ),
            dcc.Checklist(
                id=ids.CUMULATIVE,
                options=[{"label": L("cumulative_switch"), "value": "on"}],
                value=[],
                className="cumulative-toggle",
            ),
            # Play: the view it plays, then every frame at once (``callbacks.playback``)
            dcc.Store(id=ids.PLAY_ASK),
            dcc.Store(id=ids.PLAY_FRAMES),
        ],
        className="player",
        role="group",
        **aria(label="时间播放 / time player"),
    )


def freq_options(dense: tuple[str, ...]) -> list[dict]:
    """The timeline step's options; a step the data is too sparse for is disabled."""
    return [{"label": L(f), "value": f, "disabled": f not in dense and f != "year"} for f in FREQS]


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
