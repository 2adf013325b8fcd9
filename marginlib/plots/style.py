"""One figure style for every plot in the course: colour-blind safe, readable on a projector.

Colours
    The Okabe–Ito palette (Okabe M. and Ito K., *Color Universal Design (CUD): how to make
    figures and presentations that are friendly to colorblind people*, 2002,
    https://jfly.uni-koeln.de/color/ ; recommended in Wong B., "Points of view: Color
    blindness", *Nature Methods* 8, 441 (2011), https://doi.org/10.1038/nmeth.1618), without
    its yellow ``#F0E442`` (too little contrast against a white background on a projector),
    plus a dark grey for reference lines and a light grey used only for filled areas.
    tests/test_style.py simulates protanopia, deuteranopia and tritanopia (Machado, Oliveira
    and Fernandes 2009) and checks that every pair of these colours stays apart (CIEDE2000).

Roles
    A quantity has one colour **and** one line style (and, for points, one marker) in every
    notebook: :data:`ROLES`. Colour is never the only difference between two series in one
    axes: their line style or marker differs too (tests/test_style.py checks every plot).
    :func:`series` gives the n-th style of a list of same-kind series (venues, leverages).

Fonts
    :data:`FONT` sizes are for a 7-inch figure shown at 100 dpi (700 px wide): nothing below
    9 pt, ticks 10 pt, axis labels 11 pt, titles 12 pt — readable from the back of a room when
    the notebook is projected at 100 % zoom.

Nothing here changes matplotlib's global rcParams: :func:`context` is an
``matplotlib.rc_context`` used while a course figure is created and drawn
(``plots._base.LivePlot``), and :func:`style_axes` stores the tick sizes on the axes
themselves (ticks are created lazily, after the context has ended).
"""
from __future__ import annotations

import matplotlib
from cycler import cycler

__all__ = ["PALETTE", "NEUTRALS", "ROLES", "COLORS", "SERIES_COLORS", "LINESTYLES", "MARKERS",
           "FONT", "RC", "line", "series", "context", "style_axes"]

#: The Okabe–Ito colours used (https://jfly.uni-koeln.de/color/ , "Set of colors that is
#: unambiguous both to colorblinds and non-colorblinds"), by their names there.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}

#: Greys: ``dark grey`` for reference lines (entry price, mid), ``light grey`` only for
#: filled areas (a "before" bar, an impossible region) — never for a line.
NEUTRALS = {"dark grey": "#555555", "light grey": "#BBBBBB", "white": "#FFFFFF"}

_C = {**PALETTE, **NEUTRALS}

#: Role -> style. ``color`` and ``ls`` always; ``marker`` for the roles drawn as points.
ROLES = {
    "long": dict(color=_C["blue"], ls="-"),
    "short": dict(color=_C["orange"], ls="--"),
    "equity": dict(color=_C["blue"], ls="-"),
    "liquidation": dict(color=_C["vermillion"], ls="-", marker="X"),
    "bankruptcy": dict(color=_C["black"], ls=":", marker="P"),
    "entry": dict(color=_C["dark grey"], ls="--"),
    "maintenance": dict(color=_C["reddish purple"], ls="-."),
    "funding": dict(color=_C["orange"], ls="-"),
    "isolated": dict(color=_C["bluish green"], ls="--", marker="s"),
    "cross": dict(color=_C["vermillion"], ls="-", marker="o"),
    "price": dict(color=_C["black"], ls="-"),
    "reference": dict(color=_C["dark grey"], ls=":"),
    "fill": dict(color=_C["light grey"], ls="-"),
}

#: Role -> colour (``plots._base.COLORS`` is this dict: the name every plot already uses).
COLORS = {role: style["color"] for role, style in ROLES.items()}

#: Colours, line styles and markers for a list of same-kind series (see :func:`series`).
SERIES_COLORS = [_C["blue"], _C["vermillion"], _C["bluish green"], _C["reddish purple"],
                 _C["orange"], _C["sky blue"], _C["black"]]
LINESTYLES = ["-", "--", "-.", ":"]
MARKERS = ["o", "s", "^", "D", "v", "P"]

#: Font sizes in points (7-inch figures at 100 dpi; nothing below 9 pt).
FONT = {"tick": 10.0, "label": 11.0, "title": 12.0, "legend": 9.0, "note": 9.0}

#: The settings applied while a course figure is made (see :func:`context`).
RC = {
    "font.size": FONT["label"],
    "axes.labelsize": FONT["label"],
    "axes.titlesize": FONT["title"],
    "figure.titlesize": FONT["title"],
    "xtick.labelsize": FONT["tick"],
    "ytick.labelsize": FONT["tick"],
    "legend.fontsize": FONT["legend"],
    "legend.title_fontsize": FONT["legend"],
    "legend.framealpha": 0.9,
    "lines.linewidth": 1.8,
    "lines.markersize": 7.0,
    "grid.alpha": 0.3,
    "hatch.color": _C["dark grey"],
    # colours only: a linestyle in the cycle would restyle lines that set only a colour
    "axes.prop_cycle": cycler(color=SERIES_COLORS),
    "image.cmap": "cividis",
}


def line(role, *, marker=False, **overrides):
    """Keyword arguments for ``ax.plot`` in a role's style: colour and line style.

    ``marker=True`` adds the role's marker (roles drawn as points); ``overrides`` win.

    >>> line("maintenance")
    {'color': '#CC79A7', 'ls': '-.'}
    >>> line("liquidation", marker=True, ls="none")
    {'color': '#D55E00', 'ls': 'none', 'marker': 'X'}
    """
    style = dict(ROLES[role])
    if not marker:
        style.pop("marker", None)
    style.update(overrides)
    return style


def series(i, *, markevery=0.1):
    """Style of the ``i``-th of several same-kind series (``i`` from 0).

    The (line style, marker) pair is different for the first 24 series, so two series never
    differ by colour alone; the colour changes too, for readers who can use it. Series always
    carry a marker (every ``markevery`` of the axes' diagonal), so they never look like an
    unmarked reference line either.

    >>> series(0)
    {'color': '#0072B2', 'ls': '-', 'marker': 'o', 'markevery': 0.1}
    >>> series(5)["ls"], series(5)["marker"]
    ('--', 's')
    """
    return dict(color=SERIES_COLORS[i % len(SERIES_COLORS)], ls=LINESTYLES[i % len(LINESTYLES)],
                marker=MARKERS[(i // len(LINESTYLES)) % len(MARKERS)], markevery=markevery)


def context():
    """``matplotlib.rc_context`` with :data:`RC`: for creating and drawing a course figure.

    Global rcParams are restored when the block ends.
    """
    return matplotlib.rc_context(RC)


def style_axes(fig):
    """Store the tick label size on every axes of ``fig`` (ticks are created lazily, so the
    size must live on the axes, not only in the rc context)."""
    for ax in fig.axes:
        ax.tick_params(labelsize=FONT["tick"])
    return fig
