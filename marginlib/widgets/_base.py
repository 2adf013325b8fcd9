"""Controls + live figure + message: the one widget pattern of the course.

:class:`LiveFigure` is an ``ipywidgets.VBox`` holding the controls, the figure's canvas
(an ipympl widget under ``%matplotlib widget``) and a message line. A change of any control
calls the plot's ``update`` with every control's value and then redraws (see Latency below):
no figure is re-created and no layout recomputed. Exceptions never reach the learner as a
traceback: a ``ValueError`` from ``marginlib`` (bad combination of inputs) is shown as a
plain-language message in the UI and the figure keeps its last valid state; anything else is
shown as "something went wrong" with the error text.

Controls are bounded sliders and toggles, so most invalid states are unreachable; the message
covers the rest (e.g. a margin below maintenance at entry).

Latency (benchmarks/browser_latency.py): most of a redraw is text (tick labels, legend), which
an update rarely changes. On an ipympl canvas that the browser shows, :class:`FastRedraw`
keeps the last frame without the artists that the update changed (and those drawn above them)
and repaints only those, then sends the frame at once (``canvas.blit``: no round trip through
the browser). When anything else changed (limits, a label, the figure size) it renders the
whole figure, also at once. Either way the canvas' renderer reuses the glyphs it rasterised
before (:mod:`._glyph_cache`: the same pixels, text several times faster), and every frame
sent is a whole frame (:func:`_frame_png`: a frame the browser drops can then never leave the
picture blank or half drawn). Without ipympl, or before the browser shows the canvas, a change
calls ``fig.canvas.draw_idle()`` as before.
"""
from __future__ import annotations

import html
import io
from contextlib import contextmanager
from operator import attrgetter

import ipywidgets as widgets
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.legend import Legend
from PIL import Image

from . import _glyph_cache

__all__ = ["LiveFigure", "FastRedraw", "slider", "int_slider", "toggle", "canvas_widget"]

_WIDTH = "430px"
_STYLE = {"description_width": "150px"}


def slider(description, value, min, max, step, *, continuous_update=True, fmt=".2f"):
    """A bounded ``FloatSlider`` with the course's layout (``continuous_update`` as given)."""
    return widgets.FloatSlider(value=value, min=min, max=max, step=step,
                               description=description, continuous_update=continuous_update,
                               readout_format=fmt, style=_STYLE,
                               layout=widgets.Layout(width=_WIDTH))


def int_slider(description, value, min, max, step=1, *, continuous_update=True):
    """A bounded ``IntSlider`` with the course's layout."""
    return widgets.IntSlider(value=value, min=min, max=max, step=step,
                             description=description, continuous_update=continuous_update,
                             style=_STYLE, layout=widgets.Layout(width=_WIDTH))


def toggle(description, options, value=None):
    """A ``ToggleButtons`` choice (side, margin mode...)."""
    return widgets.ToggleButtons(options=options, value=value if value is not None else
                                 (options[0] if not isinstance(options[0], tuple)
                                  else options[0][1]),
                                 description=description, style=_STYLE)


def canvas_widget(fig):
    """The figure's canvas as a widget (ipympl), or an ``Output`` showing it otherwise."""
    if isinstance(fig.canvas, widgets.DOMWidget):
        fig.canvas.header_visible = False
        fig.canvas.toolbar_visible = False
        fig.canvas.resizable = False
        return fig.canvas
    out = widgets.Output()
    try:  # without ipympl: show the figure once, as a static image, inside IPython only
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover
        return out
    if get_ipython() is not None:  # pragma: no cover - only without ipympl
        with out:
            display(fig)
    return out


def _changed(artist):
    """Whether ``artist`` or anything it holds was changed since it was last drawn (stale).

    An Axis counts by its label and offset text only: ``set_xlim`` marks it stale even when
    the limits stay the same, and its ticks follow the limits, locator and formatter, which
    :meth:`FastRedraw._geometry` compares."""
    if isinstance(artist, Axis):
        return artist.label.stale or artist.offsetText.stale
    if artist.stale:
        return True
    return any(_changed(child) for child in artist.get_children())


@contextmanager
def _no_autodraw(fig):
    """Without pyplot's redraw-on-change (``fig.stale_callback``; under ``%matplotlib widget``
    pyplot is interactive, and every change of an artist would ask the browser for a full
    draw): for the changes and repaints :class:`LiveFigure` sends itself."""
    callback, fig.stale_callback = fig.stale_callback, None
    try:
        yield
    finally:
        fig.stale_callback = callback


def _axis_state(axis):
    return (axis.get_scale(), id(axis.get_major_locator()), id(axis.get_minor_locator()),
            id(axis.get_major_formatter()), id(axis.get_minor_formatter()))


def _unstale(artist):
    """Mark ``artist`` and its children drawn (invisible artists are never drawn by matplotlib)."""
    artist.stale = False
    if isinstance(artist, Axis):
        artist.label.stale = artist.offsetText.stale = False
        return
    for child in artist.get_children():
        _unstale(child)


def _fast_redraw(fig):
    """A :class:`FastRedraw` for an ipympl canvas (a webagg canvas that sends PNG frames), else
    ``None``."""
    return FastRedraw(fig) if hasattr(fig.canvas, "get_diff_image") else None


#: zlib level of the PNG frames a live figure sends: 1 encodes about 40 % faster than the
#: default 6 for a few kB more per frame (a frame travels to a browser on the same machine or
#: the same room's network, and PNG is lossless either way).
PNG_COMPRESS_LEVEL = 1


def _frame_png(canvas):
    """The next frame of a webagg/ipympl canvas as PNG bytes (always a whole frame, "full"
    mode), or None when nothing is new.

    Matplotlib's ``FigureCanvasWebAggCore.get_diff_image`` sends "diff" frames (the changed
    pixels, zeros elsewhere) when it can. ipympl's browser side loads every frame into one
    ``Image``: a frame that arrives while the previous one is still decoding replaces it, and
    the replaced one is never painted (Chromium fires ``load`` only for the last ``src``). A
    whole frame followed closely by a diff frame then leaves the diff painted over an old
    picture, or over nothing: a figure left blank or half drawn until the next change (seen in
    the browser tests under load). Whole frames are self-contained: whichever frame is painted
    last is the right picture. They cost about 4 ms more to encode (at
    :data:`PNG_COMPRESS_LEVEL`, still no slower than Matplotlib's diff frames at zlib's
    default) and a 660 × 620 figure's frame is about 70 kB instead of 25 kB. Installed on the
    canvases of :class:`LiveFigure` and the desk only.
    """
    if not canvas._png_is_old:
        return None
    pixels = np.asarray(canvas.get_renderer().buffer_rgba())
    canvas.set_image_mode("full")
    canvas._last_buff = pixels.view(np.uint32).squeeze(2).copy()  # ipympl's data URL reads it
    canvas._force_full = False
    canvas._png_is_old = False
    with io.BytesIO() as png:
        Image.fromarray(pixels).save(png, format="png", compress_level=PNG_COMPRESS_LEVEL)
        return png.getvalue()


def _sends_frames(fig, fast):
    """Whether a widget sends the figure's frames itself: an ipympl canvas that the browser
    shows (it sent "initialized")."""
    return fast is not None and not getattr(fig.canvas, "syncing_data_url", True)


def _show_update(fig, fast):
    """Show an updated figure: where the widget sends its frames (:func:`_sends_frames`),
    repaint what changed (``fast``, a :class:`FastRedraw`) or the whole figure and send the
    frame now; otherwise ask for a redraw (``draw_idle``)."""
    canvas = fig.canvas
    if not _sends_frames(fig, fast):
        canvas.draw_idle()
    elif fast.prepare():
        canvas.blit(fig.bbox)   # ipympl: encode the frame, send it
    else:
        canvas.draw()           # render everything, send the frame


class FastRedraw:
    """Repaint only the artists an update changed, over a saved background (blitting).

    The pattern of Matplotlib's "Faster rendering by using blitting" tutorial
    (https://matplotlib.org/stable/users/explain/animations/blitting.html), with the animated
    layer found after each update: in each Axes, the top-level children that changed
    (:attr:`matplotlib.artist.Artist.stale`) and every child drawn above the lowest of them
    (zorder), so the picture is the one a full draw makes. Those artists are marked
    ``animated``: a full draw leaves them out, saves the background (``draw_event``) and paints
    them on top. :meth:`redraw` repaints them over that background when the same layer changed
    again and nothing else did (same figure size, Axes positions and limits; nothing outside
    the layer changed); otherwise it returns ``False`` and the caller draws the whole figure.

    A legend at a fixed location (not ``"best"``) or an inset Axes (07's colour bar) that sits
    in the layer without changing is the dearest part of a repaint (all its text): at the
    first repaint after a full draw it is rendered once onto a transparent buffer and
    composited from there on (the same pixels up to rounding); a figure that needs a full draw
    at each change never pays for it.
    """

    def __init__(self, fig):
        self.fig, self.canvas = fig, fig.canvas
        self.layer = ()        # the animated artists, in drawing order
        self.background = None
        self.geometry = None   # the figure's geometry when the background was saved
        self.changed = set()   # ids of the top-level artists the last update changed
        self.snapshots = {}    # id(artist) -> (x, y, RGBA image) of an unchanged legend/inset
        self.canvas.mpl_connect("draw_event", self._on_draw)
        _glyph_cache.install(self.canvas.get_renderer())  # text: rendered glyphs are reused
        if all(hasattr(self.canvas, a) for a in ("_png_is_old", "_last_buff", "_force_full")):
            self.canvas.get_diff_image = _frame_png.__get__(self.canvas)  # whole frames

    def _geometry(self):
        """Figure size, and per Axes its position, limits, scales, locators and formatters."""
        return (tuple(self.fig.bbox.bounds),
                tuple((tuple(ax.get_position().bounds), tuple(ax.get_xlim()),
                       tuple(ax.get_ylim()), _axis_state(ax.xaxis), _axis_state(ax.yaxis))
                      for ax in self.fig.axes))

    def _changed_layer(self):
        """The artists to repaint (drawing order), or None when the whole figure must be drawn."""
        if any(_changed(a) for a in self.fig.get_children() if not isinstance(a, Axes)):
            return None
        layer = []
        self.changed = set()
        for ax in self.fig.axes:
            children = [c for c in ax.get_children() if c is not ax.patch]
            changed = [c for c in children if _changed(c)]
            if _changed(ax.patch):
                return None
            self.changed.update(map(id, changed))
            if changed:
                lowest = min(c.get_zorder() for c in changed)
                layer += sorted((c for c in children if c.get_zorder() >= lowest),
                                key=attrgetter("zorder"))
        return tuple(layer)

    def _paint(self, renderer, partial=False):
        """Draw the layer; in a partial redraw an unchanged legend at a fixed location, or an
        unchanged inset Axes (e.g. a colour bar), from its snapshot (taken the first time it is
        needed after a full draw)."""
        for artist in self.layer:
            snapshot = None
            if (partial and id(artist) not in self.changed
                    and (isinstance(artist, Axes) or (isinstance(artist, Legend)
                                                      and getattr(artist, "_loc", 0) != 0))):
                if id(artist) not in self.snapshots:
                    self.snapshots[id(artist)] = self._snapshot(artist, renderer)
                snapshot = self.snapshots[id(artist)]
            if snapshot is not None:
                x, y, image = snapshot
                gc = renderer.new_gc()
                renderer.draw_image(gc, x, y, image)
                gc.restore()
            else:
                artist.draw(renderer)
        _unstale(self.fig)

    def _snapshot(self, artist, renderer):
        """``(x, y, RGBA)``: ``artist`` alone on a transparent buffer, cropped to the pixels it
        painted (an inset's tick labels too), or None if it painted none."""
        width, height = int(renderer.width), int(renderer.height)
        alone = RendererAgg(width, height, renderer.dpi)
        artist.draw(alone)
        pixels = np.asarray(alone.buffer_rgba())  # row 0 is the top; draw_image's the bottom
        painted = pixels[:, :, 3] != 0
        rows, cols = np.flatnonzero(painted.any(axis=1)), np.flatnonzero(painted.any(axis=0))
        if not rows.size:
            return None
        top, bottom, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        return int(x0), int(height - bottom), pixels[top:bottom, x0:x1][::-1].copy()

    def _on_draw(self, event):
        """After a full draw (animated layer left out): save the background, paint the layer;
        the snapshots (legends, insets) are taken again when next needed."""
        if self.canvas.is_saving() or event is None:
            return
        _glyph_cache.install(event.renderer)  # a new renderer after a resize
        with _no_autodraw(self.fig):  # painting after the draw must not ask for another
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
            self.geometry = self._geometry()
            self._paint(event.renderer)
            self.snapshots = {}
            _unstale(self.fig)

    def prepare(self):
        """After an update: repaint the changed layer over the background and return True, or
        set up the next full draw (the changed layer becomes the animated one) and return
        False."""
        layer = self._changed_layer()
        if (layer is not None and self.background is not None
                and set(map(id, layer)) <= set(map(id, self.layer))
                and self._geometry() == self.geometry):
            self.redraw()
            return True
        for artist in self.layer:
            artist.set_animated(False)
        self.layer = layer or ()
        for artist in self.layer:
            artist.set_animated(True)
        self.background = None
        return False

    def redraw(self):
        """The background, then the animated layer on top (into the canvas' Agg buffer)."""
        self.canvas.restore_region(self.background)
        renderer = self.canvas.get_renderer()
        _glyph_cache.install(renderer)
        self._paint(renderer, partial=True)


class LiveFigure(widgets.VBox):
    """A live figure: ``controls`` drive ``plot.update(**values)``.

    Parameters
    ----------
    plot : marginlib.plots._base.LivePlot
        The plot to update (already drawn with the controls' initial values).
    controls : dict name -> ipywidgets.ValueWidget
        Each control's ``value`` is passed to ``plot.update`` under its name.
    fixed : dict, optional
        Extra parameters passed on every update (not controls).
    caption : callable, optional
        ``caption(plot, params) -> str`` (HTML) shown under the figure after each
        successful update (e.g. the liquidation price as a number).
    title : str, optional
        HTML heading shown above the controls.

    Attributes
    ----------
    plot, controls, message, fig
    """

    def __init__(self, plot, controls, *, fixed=None, caption=None, title=None):
        self.plot = plot
        self.fig = plot.fig
        self.controls = dict(controls)
        self.fixed = dict(fixed or {})
        self.caption = caption
        self.message = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        # on an ipympl canvas: from the first full draw on, know what each update changes
        self._fast = _fast_redraw(self.fig)
        children = []
        if title:
            children.append(widgets.HTML(f"<b>{title}</b>"))
        children.append(widgets.VBox(list(self.controls.values())))
        children += [canvas_widget(self.fig), self.message]
        super().__init__(children)
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.refresh()

    def values(self):
        """Current parameters: every control's value plus the fixed ones."""
        params = dict(self.fixed)
        params.update({name: c.value for name, c in self.controls.items()})
        return params

    def _on_change(self, _change):
        self.refresh()

    def refresh(self):
        """Recompute from the controls, update the artists, redraw; errors go to the message."""
        params = self.values()
        sends = _sends_frames(self.fig, self._fast)
        try:
            if sends:  # it sends its own frame: no full draw asked for by each artist's change
                with _no_autodraw(self.fig):
                    self.plot.update(**params)
            else:
                self.plot.update(**params)
        except ValueError as exc:
            self.show_message(f"⚠ {exc}", error=True)
            return False
        except Exception as exc:  # noqa: BLE001 - a learner never sees a traceback
            self.show_message(f"⚠ Something went wrong: {type(exc).__name__}: {exc}",
                              error=True)
            return False
        self.plot.params = params
        try:
            with _no_autodraw(self.fig):
                _show_update(self.fig, self._fast)
        except Exception as exc:  # noqa: BLE001 - a learner never sees a traceback
            self.show_message(f"⚠ Something went wrong while drawing: {type(exc).__name__}: "
                              f"{exc}", error=True)
            return False
        self.show_message(self.caption(self.plot, params) if self.caption else "")
        return True

    def show_message(self, text, *, error=False):
        """Show ``text`` under the figure (escaped and red when it is an error)."""
        if error:
            self.message.value = ('<span style="color:#b00020">'
                                  f"{html.escape(str(text))}</span>")
        else:
            self.message.value = text
