"""Reuse rendered glyphs when a live figure repaints the same text (Agg, Matplotlib >= 3.11).

Matplotlib 3.11's Agg renderer shapes every text (``FT2Font._layout``) and rasterises every
glyph with FreeType on every draw (``RendererAgg._draw_text_glyphs_and_boxes``): about
50-100 µs a glyph here, so a legend or a title with numbers costs 5-30 ms each time a slider
moves, most of a repaint.

A glyph's bitmap depends only on its font face, size, resolution, angle, slant and stretch,
antialiasing, and where inside a pixel it starts (FreeType positions in 1/64 pixel); moving it
by whole pixels moves the bitmap by the same whole pixels; a string's layout depends only on
its font, size, resolution, hinting, features and language. :func:`install` gives one
renderer versions of ``draw_text`` and of that method that keep each layout and each bitmap
under exactly those keys and composite the bitmap with the same ``draw_text_image`` call, so
the pixels are the ones Matplotlib draws (``tests/test_glyph_cache.py`` compares them byte for
byte). Only the renderers of :class:`LiveFigure` canvases get it (an instance attribute;
nothing global changes); on another Matplotlib the renderer is left as it is.
"""
import math

import numpy as np

try:  # Matplotlib >= 3.11: the glyph-by-glyph text path this module caches
    from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
    from matplotlib.ft2font import RenderMode
    _SUPPORTED = hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")
except ImportError:  # pragma: no cover - older Matplotlib
    _SUPPORTED = False

#: Bitmaps kept per process before the cache starts over (a few hundred kB at most).
MAX_GLYPHS = 20_000
_CACHE = {}


def install(renderer):
    """Give ``renderer`` (a ``RendererAgg``) the caching text path; True if it has it now."""
    if not _SUPPORTED or not isinstance(renderer, RendererAgg):
        return False
    if "_draw_text_glyphs_and_boxes" not in vars(renderer):
        renderer._draw_text_glyphs_and_boxes = _cached_glyphs.__get__(renderer)
        renderer.draw_text = _cached_draw_text.__get__(renderer)
    return True


def _cached_draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
    """``RendererAgg.draw_text`` with each string's glyph layout kept (shaping a string costs
    about as much as rasterising it); mathtext goes to the original method."""
    if ismath:
        return RendererAgg.draw_text(self, gc, x, y, s, prop, angle, ismath, mtext)
    font = self._prepare_font(prop)
    size = prop.get_size_in_points()
    flags = get_hinting_flag()
    features = mtext.get_fontfeatures() if mtext is not None else None
    language = mtext.get_language() if mtext is not None else None
    key = ("layout", font, size, self.dpi, s, flags, features, language)
    items = _CACHE.get(key)
    if items is None:
        items = tuple((item.ft_object, item.glyph_index, item.x, item.y) for item in
                      font._layout(s, flags=flags, features=features, language=language))
        if len(_CACHE) >= MAX_GLYPHS:
            _CACHE.clear()
        _CACHE[key] = items
    self._draw_text_glyphs_and_boxes(
        gc, x, y, angle, ((ft, size, index, 0, 1, dx, dy) for ft, index, dx, dy in items), [])


def _cached_glyphs(self, gc, x, y, angle, glyphs, boxes):
    """``RendererAgg._draw_text_glyphs_and_boxes`` with the glyph bitmaps kept (see module).

    Glyph by glyph the same transform, 1/64-pixel position and render mode as Matplotlib's;
    rectangles (mathtext's fraction bars) go to the original method unchanged."""
    cos = math.cos(math.radians(angle))
    sin = math.sin(math.radians(angle))
    load_flags = get_hinting_flag()
    antialiased = gc.get_antialiased()
    for font, size, glyph_index, slant, extend, dx, dy in glyphs:  # dy is upwards
        tx = round(0x40 * (x + dx * cos - dy * sin))
        ty = round(0x40 * (self.height - y + dx * sin + dy * cos))  # FreeType's y is upwards
        key = (font, size, self.dpi, glyph_index, angle, slant, extend, antialiased,
               load_flags, tx & 0x3F, ty & 0x3F)
        hit = _CACHE.get(key)
        if hit is None:
            font.set_size(size, self.dpi)
            font._set_transform(
                (0x10000 * np.array([[cos, -sin], [sin, cos]])
                 @ [[extend, extend * slant], [0, 1]]).round().astype(int),
                [tx, ty])
            bitmap = font._render_glyph(
                glyph_index, load_flags, RenderMode.NORMAL if antialiased else RenderMode.MONO)
            buffer = np.array(bitmap.buffer)  # a copy: FreeType reuses its glyph slot
            if not antialiased:
                buffer *= 0xff
            if len(_CACHE) >= MAX_GLYPHS:
                _CACHE.clear()
            hit = _CACHE[key] = (buffer, bitmap.left - (tx >> 6), bitmap.top - (ty >> 6))
        buffer, left, top = hit
        # draw_text_image's y is downwards & the bitmap's bottom side
        self._renderer.draw_text_image(
            buffer, left + (tx >> 6), int(self.height) - (top + (ty >> 6)) + buffer.shape[0],
            0, gc)
    if boxes:
        RendererAgg._draw_text_glyphs_and_boxes(self, gc, x, y, angle, (), boxes)
