"""The glyph cache of live figures (marginlib.widgets._glyph_cache) draws the pixels Matplotlib
draws: the same figure rendered by a plain Agg renderer and by one with the cache (cold, then
warm, after text moved by fractions of a pixel, after the cache started over) is equal byte for
byte."""
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from marginlib.widgets import _glyph_cache as G  # noqa: E402

pytestmark = pytest.mark.skipif(not G._SUPPORTED, reason="Matplotlib < 3.11: nothing cached")


def _figure(shift=0.0):
    """Text of every kind: unicode, sizes, weights, angles, colours, mathtext with a fraction
    bar (a box), a legend, an annotation, non-antialiased text, tick labels; ``shift`` moves
    some of it by a fraction of a pixel."""
    fig = Figure(figsize=(6.4, 4.0), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([1, 2, 3], [3, 1, 2], label="long, m = 5.00 %, fee = 0.050 %")
    ax.plot([1, 2, 3], [1, 2, 3], label=r"$\frac{1}{L}$ article: E·(1 ∓ 1/L)")
    ax.set_title("Liquidation 12.34 % away — 10× long", fontweight="bold")
    ax.set_xlabel("leverage (×)")
    ax.set_ylabel("distance (%)", fontsize=13)
    ax.annotate("here 3.14×", (2, 2), xytext=(2.3 + shift, 2.6), rotation=17,
                arrowprops=dict(arrowstyle="->"))
    for k, angle in enumerate((0, 33.3, 90, -12.5)):
        ax.text(1.1 + 0.37 * k + shift, 1.2 + 0.003 * k, "same words", rotation=angle,
                color=("C0", "C1", "C2", "k")[k], fontsize=8 + 2 * k, style="italic")
    ax.text(2.5, 1.5 + shift, "no antialiasing", antialiased=False)
    for angle, smooth in ((0, True), (90, True), (45, True), (0, False)):
        # the same glyphs at the same point: only the angle or the antialiasing differs
        ax.text(1.5, 2.5, "Wg", rotation=angle, rotation_mode="anchor", ha="left",
                va="baseline", fontsize=14, antialiased=smooth, color="C3" if smooth else "C4")
    ax.legend(loc="upper right")
    return fig


def _pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("shift", [0.0, 0.013, 0.5, 0.731])
def test_cached_text_is_byte_for_byte_matplotlibs(shift):
    want = _pixels(_figure(shift))         # a plain renderer
    fig = _figure(shift)
    assert G.install(fig.canvas.get_renderer())
    G._CACHE.clear()
    cold = _pixels(fig)
    size = len(G._CACHE)
    warm = _pixels(fig)
    assert size > 50 and len(G._CACHE) == size   # the second draw found every glyph
    assert np.array_equal(cold, want)
    assert np.array_equal(warm, want)


def test_text_moved_by_a_fraction_of_a_pixel_is_rasterised_again():
    fig = _figure()
    G.install(fig.canvas.get_renderer())
    _pixels(fig)
    moved = _figure(0.0031)  # a few hundredths of a pixel on screen
    G.install(moved.canvas.get_renderer())
    assert np.array_equal(_pixels(moved), _pixels(_figure(0.0031)))


def test_a_full_cache_starts_over_and_still_draws_the_same(monkeypatch):
    monkeypatch.setattr(G, "MAX_GLYPHS", 7)
    G._CACHE.clear()
    want = _pixels(_figure())
    fig = _figure()
    G.install(fig.canvas.get_renderer())
    assert np.array_equal(_pixels(fig), want)
    assert np.array_equal(_pixels(fig), want)
    assert len(G._CACHE) <= 7


def test_only_agg_renderers_get_it_and_only_once():
    fig = _figure()
    renderer = fig.canvas.get_renderer()
    assert G.install(renderer) and G.install(renderer)
    method = vars(renderer)["_draw_text_glyphs_and_boxes"]
    G.install(renderer)
    assert vars(renderer)["_draw_text_glyphs_and_boxes"] is method
    assert not G.install(object())
    other = _figure().canvas.get_renderer()
    assert "_draw_text_glyphs_and_boxes" not in vars(other)   # nothing global changed
