"""The live-figure pattern shared by every plot in the course.

A plot is a small object that draws once and then updates its artists in place:

>>> import matplotlib
>>> from marginlib.plots._base import LivePlot
>>> class Line(LivePlot):
...     def draw(self, slope=1.0):
...         (self.artists["line"],) = self.ax.plot([0, 1], [0.0, slope])
...     def update(self, slope=1.0):
...         self.artists["line"].set_ydata([0.0, slope])
>>> p = Line(slope=2.0)
>>> p.update(slope=3.0)
>>> list(p.artists["line"].get_ydata())
[0.0, 3.0]

Rules (the ipympl example's pattern, STYLE.md): create the figure once (``ax=None`` makes one
inside ``plt.ioff()`` so nothing is displayed twice); ``update`` only calls ``set_data`` /
``set_ydata`` / ``set_xdata`` / ``set_text`` / ``set_offsets`` and fixed-limit changes, and
never clears, re-plots or recomputes the layout; the widget layer then calls
``fig.canvas.draw_idle()``. Nothing here changes rcParams: the course style
(:mod:`marginlib.plots.style`) is an ``rc_context`` while a figure is created and drawn.
"""
from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import style as _style

__all__ = ["LivePlot", "COLORS", "new_axes", "static_figure", "png_bytes", "set_limits"]

#: One palette for the course, so a long is the same colour in every notebook: the role colours
#: of :mod:`marginlib.plots.style` (Okabe–Ito, colour-blind safe; each role has a line style too).
COLORS = _style.COLORS

#: Default figure size in inches (fits a notebook column next to nothing).
FIGSIZE = (7.0, 3.8)


def new_axes(ax=None, figsize=FIGSIZE, nrows=1, ncols=1, **subplot_kw):
    """Return ``(fig, ax)``: the given axes' figure, or a new figure made under ``plt.ioff()``.

    With ``nrows * ncols > 1`` a new figure with an array of axes is returned.
    The layout is computed once here (``tight_layout`` at creation), never on update.
    """
    if ax is not None:
        return ax.figure, ax
    with plt.ioff(), _style.context():
        fig, ax = plt.subplots(nrows, ncols, figsize=figsize, **subplot_kw)
    _style.style_axes(fig)
    _axis_below(fig)
    return fig, ax


def static_figure(figsize=FIGSIZE, nrows=1, ncols=1, **subplot_kw):
    """A figure outside pyplot (Agg canvas) for static images: never shown as a widget."""
    with _style.context():
        fig = Figure(figsize=figsize)
        FigureCanvasAgg(fig)
        ax = fig.subplots(nrows, ncols, **subplot_kw)
    _style.style_axes(fig)
    _axis_below(fig)
    return fig, ax


def _axis_below(fig):
    """Ticks and grid under every artist (``set_axisbelow(True)``): a live figure's update then
    repaints only its data and labels, not the tick labels (see widgets._base.FastRedraw)."""
    for ax in fig.axes:
        ax.set_axisbelow(True)


def png_bytes(fig, dpi=100):
    """Render ``fig`` to PNG bytes (for the static image shown before each widget)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def nice_step(span):
    """Half the power of ten below ``span > 0`` (640 -> 50, 0.08 -> 0.005): the grid that
    sticky limits are rounded out to."""
    return 10.0 ** np.floor(np.log10(span)) / 2


def _sticky(current, lo, hi, pad, headroom, shrink, start=None):
    """Limits for data ``[lo, hi]``: ``current`` (the limits set last time) while the data
    fits inside them with at least half the margin ``pad`` and fills more than ``1/shrink``
    of them; otherwise the data with ``headroom`` (a share of the span) on each side, rounded
    out to :func:`nice_step` of a fifth of the new span."""
    span = hi - lo or max(abs(hi), 1.0)
    if current is not None:
        c_lo, c_hi = current
        low_ok = c_lo == start if start is not None else c_lo <= lo - pad * span / 2
        if (low_ok and hi + pad * span / 2 <= c_hi
                and (c_hi - c_lo) <= shrink * (1 + 2 * pad) * span):
            return current
    lo_h, hi_h = lo - max(headroom, pad) * span, hi + max(headroom, pad) * span
    if start is not None:
        lo_h = start
    step = nice_step((hi_h - lo_h) / 5)  # a grid of 1/10 to 1/100 of the span
    return (float(np.floor(lo_h / step) * step) if start is None else float(start),
            float(np.ceil(hi_h / step) * step))


def set_limits(ax, x=None, y=None, pad=0.05, sticky=False, headroom=0.15, shrink=3.0,
               x_start=None, y_start=None):
    """Set axis limits from data ranges with a margin (cheap; no relim/autoscale pass).

    With ``sticky=True`` the limits have hysteresis, so that a small change of the data keeps
    them and a live figure repaints only its changed artists (widgets._base.FastRedraw, which
    draws the whole figure, tick labels and all, when limits move): new limits are the data
    with ``headroom`` (a share of its span) on each side, rounded out to a grid of half a power
    of ten (:func:`nice_step`); they are kept while the data stays inside them with at least half the
    margin ``pad`` and spans more than ``1/shrink`` of them. The data is always inside the
    limits. Limits set on the axis by anything else are replaced at the next call.
    ``x_start``, ``y_start`` (sticky only): a fixed lower limit, e.g. 0 under counts or at
    day 0; the data must not go below it.
    """
    for values, setter, getter, name, start in ((x, ax.set_xlim, ax.get_xlim, "x", x_start),
                                                (y, ax.set_ylim, ax.get_ylim, "y", y_start)):
        if values is None:
            continue
        values = np.asarray(values, dtype=float).ravel()
        lo, hi = float(np.min(values)), float(np.max(values))
        if not sticky:
            span = hi - lo or max(abs(hi), 1.0)
            setter(lo - pad * span, hi + pad * span)
            continue
        kept = getattr(ax, "_marginlib_sticky", {})
        current = tuple(map(float, getter()))
        limits = _sticky(current if kept.get(name) == current else None, lo, hi, pad,
                         headroom, shrink, start)
        if limits != current:
            setter(*limits)
        kept[name] = tuple(map(float, getter()))
        ax._marginlib_sticky = kept


class LivePlot:
    """Base class: a figure drawn once by :meth:`draw`, then updated in place by :meth:`update`.

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Draw into these axes; by default a new figure is created under ``plt.ioff()``.
    static : bool, optional
        Build on an Agg figure outside pyplot (for the PNG shown before a widget).
    **params
        Passed to :meth:`draw` (the initial state).

    Attributes
    ----------
    fig, ax : the figure and its axes
    artists : dict name -> artist, what ``update`` changes (tests read their data)
    params : the parameters of the current state
    """

    figsize = FIGSIZE
    nrows = 1
    ncols = 1

    def __init__(self, ax=None, *, static=False, **params):
        if ax is None and static:
            self.fig, self.ax = static_figure(self.figsize, self.nrows, self.ncols)
        else:
            self.fig, self.ax = new_axes(ax, self.figsize, self.nrows, self.ncols)
        self.artists = {}
        self.params = dict(params)
        with _style.context():  # the course style (plots/style.py) while artists are made
            self.draw(**params)
            if ax is None:
                self.fig.tight_layout()

    def draw(self, **params):  # pragma: no cover - abstract
        """Create every artist once (subclasses)."""
        raise NotImplementedError

    def update(self, **params):  # pragma: no cover - abstract
        """Change artist data in place for new parameters (subclasses)."""
        raise NotImplementedError

    def set(self, **changes):
        """Update with some parameters changed; returns self."""
        self.params.update(changes)
        self.update(**self.params)
        return self

    def png(self, dpi=100):
        """The current state as PNG bytes."""
        return png_bytes(self.fig, dpi=dpi)
