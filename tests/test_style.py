"""The course figure style (marginlib/plots/style.py) holds for every plot.

* every line, patch, collection and text of every plot uses a palette colour;
* two series in one axes never differ by colour alone (line style or marker differs too);
* no text is smaller than 9 pt (projector);
* the palette's colours stay apart under simulated protanopia, deuteranopia and tritanopia.

Colour-vision-deficiency simulation: Machado G. M., Oliveira M. M. and Fernandes L. A. F.,
"A Physiologically-based Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6),
1291-1298 (2009); the severity-1.0 matrices of their table, applied to linear RGB
(https://www.inf.ufrgs.br/~oliveira/pubs_files/CVD_Simulation/CVD_Simulation.html).
Colour difference: CIEDE2000 (CIE 142-2001) as written out by Sharma G., Wu W. and Dalal E. N.,
"The CIEDE2000 color-difference formula: implementation notes, supplementary test data, and
mathematical observations", Color Res. Appl. 30(1), 21-30 (2005),
https://hajim.rochester.edu/ece/sites/gsharma/ciede2000/ — the implementation below is checked
against pairs of their test data first. sRGB -> XYZ -> CIELAB (D65) per IEC 61966-2-1.

Threshold: a CIEDE2000 difference of 10 between every pair of palette colours under each
simulated deficiency (about five just-noticeable differences: colours that are told apart at a
glance, not only side by side). The palette's closest pair is orange / reddish purple under
tritanopia (about 10.9).
"""
import importlib
import inspect
import itertools
import pkgutil

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_hex, to_rgba
from matplotlib.patches import StepPatch

matplotlib.use("Agg")

import marginlib.plots as plots  # noqa: E402
from marginlib.plots import style  # noqa: E402
from marginlib.plots._base import COLORS, LivePlot  # noqa: E402

ALLOWED = {c.lower() for c in (*style.PALETTE.values(), *style.NEUTRALS.values())}

# --------------------------------------------------------------------------- CVD simulation
MACHADO_2009 = {  # severity 1.0 (dichromacy), linear RGB
    "protanopia": [[0.152286, 1.052583, -0.204868],
                   [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968],
                     [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779],
                   [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def srgb_to_linear(c):
    c = np.asarray(c, dtype=float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_lab(rgb):
    xyz = np.array([[0.4124564, 0.3575761, 0.1804375],
                    [0.2126729, 0.7151522, 0.0721750],
                    [0.0193339, 0.1191920, 0.9503041]]) @ rgb
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    d = 6 / 29
    f = np.where(t > d ** 3, np.cbrt(t), t / (3 * d * d) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def simulate(hex_colour, kind):
    rgb = srgb_to_linear(to_rgba(hex_colour)[:3])
    if kind != "normal":
        rgb = np.clip(np.array(MACHADO_2009[kind]) @ rgb, 0.0, 1.0)
    return linear_to_lab(rgb)


def ciede2000(lab1, lab2):
    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    cbar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(cbar ** 7 / (cbar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1 = np.degrees(np.arctan2(b1, a1p)) % 360 if c1p else 0.0
    h2 = np.degrees(np.arctan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = L2 - L1, c2p - c1p
    if c1p * c2p == 0:
        dh, hbar = 0.0, h1 + h2
    else:
        dh = h2 - h1
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
        hbar = (h1 + h2) / 2 if abs(h1 - h2) <= 180 else (
            (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2)
    dH = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    lbar, cbarp = (L1 + L2) / 2, (c1p + c2p) / 2
    t = (1 - 0.17 * np.cos(np.radians(hbar - 30)) + 0.24 * np.cos(np.radians(2 * hbar))
         + 0.32 * np.cos(np.radians(3 * hbar + 6)) - 0.20 * np.cos(np.radians(4 * hbar - 63)))
    dtheta = 30 * np.exp(-(((hbar - 275) / 25) ** 2))
    rc = 2 * np.sqrt(cbarp ** 7 / (cbarp ** 7 + 25 ** 7))
    sl = 1 + 0.015 * (lbar - 50) ** 2 / np.sqrt(20 + (lbar - 50) ** 2)
    sc, sh = 1 + 0.045 * cbarp, 1 + 0.015 * cbarp * t
    rt = -np.sin(np.radians(2 * dtheta)) * rc
    return float(np.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dH / sh) ** 2
                         + rt * (dc / sc) * (dH / sh)))


@pytest.mark.parametrize("lab1, lab2, expected", [  # Sharma et al. 2005, table 1, pairs 1, 7, 17, 18, 25
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
])
def test_ciede2000_matches_published_pairs(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_srgb_white_and_black_in_lab():
    assert np.allclose(simulate("#FFFFFF", "normal"), [100, 0, 0], atol=0.01)
    assert np.allclose(simulate("#000000", "normal"), [0, 0, 0], atol=0.01)


def test_simulation_merges_red_and_green_for_red_green_deficiencies():
    """The simulation can fail a palette: pure red and green collapse under deuteranopia."""
    red, green = simulate("#FF0000", "deuteranopia"), simulate("#00A000", "deuteranopia")
    assert ciede2000(red, green) < 10
    assert ciede2000(simulate("#FF0000", "normal"), simulate("#00A000", "normal")) > 50


MIN_DELTA_E = 10.0
PALETTE_COLOURS = {**style.PALETTE, "dark grey": style.NEUTRALS["dark grey"],
                   "light grey": style.NEUTRALS["light grey"]}


@pytest.mark.parametrize("kind", ["normal", "protanopia", "deuteranopia", "tritanopia"])
def test_palette_colours_stay_apart(kind):
    labs = {name: simulate(c, kind) for name, c in PALETTE_COLOURS.items()}
    close = [(a, b, round(ciede2000(labs[a], labs[b]), 1))
             for a, b in itertools.combinations(labs, 2)
             if ciede2000(labs[a], labs[b]) < MIN_DELTA_E]
    assert not close, f"{kind}: pairs closer than {MIN_DELTA_E}: {close}"


def test_roles_and_colors_name_palette_colours():
    assert COLORS is style.COLORS
    for role, s in style.ROLES.items():
        assert s["color"].lower() in ALLOWED, role
    assert all(c.lower() in ALLOWED for c in style.SERIES_COLORS)
    assert "#f0e442" not in ALLOWED  # Okabe-Ito yellow: too faint on white


def test_series_styles_differ_without_colour():
    keys = [(s["ls"], s.get("marker")) for s in map(style.series, range(24))]
    assert len(set(keys)) == 24


def test_style_does_not_change_global_rcparams():
    before = dict(matplotlib.rcParams)
    plots.FundingDragPlot(static=True)
    plots.EquityPlot()
    assert dict(matplotlib.rcParams) == before


# --------------------------------------------------------------------------- every plot
def _plot_classes():
    found = {}
    for info in pkgutil.iter_modules(plots.__path__):
        module = importlib.import_module(f"marginlib.plots.{info.name}")
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, LivePlot) and obj is not LivePlot:
                found[obj.__name__] = obj
    return [found[k] for k in sorted(found)]


PLOT_CLASSES = _plot_classes()


#: Plots that need arguments (no default state): how to build one for these checks.
EXAMPLES = {
    "DeskPlot": lambda: {"desk": importlib.import_module("marginlib.course.desk").Desk()},
}

_BUILT = {}


def _build(name):
    if name not in _BUILT:
        cls = next(c for c in PLOT_CLASSES if c.__name__ == name)
        params = EXAMPLES[name]() if name in EXAMPLES else {}
        try:
            p = cls(static=True, **params)
        except TypeError as exc:  # a plot without a default state must say how to build it
            pytest.fail(f"{name}() cannot be built with defaults ({exc}); add it to EXAMPLES")
        p.fig.canvas.draw()
        _BUILT[name] = p
    return _BUILT[name]


@pytest.fixture
def built():
    class _Lazy:
        def __getitem__(self, name):
            return _build(name)
    return _Lazy()


def _hex(c):
    return to_hex(c, keep_alpha=False).lower()


def _has_data(line):
    x = np.asarray(line.get_xdata(), dtype=float)
    return line.get_visible() and x.size > 0


def _colours(p):
    """(where, colour) for every drawn element of a plot."""
    out = []
    for i, ax in enumerate(p.fig.axes):
        for ln in ax.get_lines():
            out.append((f"ax{i} line {ln.get_label()!r}", ln.get_color()))
            if ln.get_marker() not in (None, "None", "none", ""):
                for c in (ln.get_markerfacecolor(), ln.get_markeredgecolor()):
                    if not (isinstance(c, str) and c.lower() == "none"):
                        out.append((f"ax{i} marker {ln.get_label()!r}", c))
        for pa in ax.patches:
            for c in (pa.get_facecolor(), pa.get_edgecolor()):
                if to_rgba(c)[3] > 0:
                    out.append((f"ax{i} patch {pa.get_label()!r}", c))
        for co in ax.collections:
            for c in list(co.get_facecolor()) + list(co.get_edgecolor()):
                if to_rgba(c)[3] > 0:
                    out.append((f"ax{i} collection {co.get_label()!r}", c))
        for t in ax.texts:
            out.append((f"ax{i} text {t.get_text()[:30]!r}", t.get_color()))
    return out


def test_every_plot_is_checked():
    assert len(PLOT_CLASSES) >= 17


@pytest.mark.parametrize("name", [c.__name__ for c in PLOT_CLASSES])
def test_plot_uses_palette_colours(built, name):
    bad = [(where, _hex(c)) for where, c in _colours(built[name]) if _hex(c) not in ALLOWED]
    assert not bad, bad


@pytest.mark.parametrize("name", [c.__name__ for c in PLOT_CLASSES])
def test_no_two_series_differ_by_colour_alone(built, name):
    p = built[name]
    for i, ax in enumerate(p.fig.axes):
        # (label, colour, line style, marker, width) of every line and unfilled step outline
        drawn = [(ln.get_label(), ln.get_color(), ln.get_linestyle(), str(ln.get_marker()),
                  ln.get_linewidth()) for ln in ax.get_lines() if _has_data(ln)]
        drawn += [(pa.get_label(), pa.get_edgecolor(), pa.get_linestyle(), "None",
                   pa.get_linewidth()) for pa in ax.patches
                  if isinstance(pa, StepPatch) and not pa.get_fill()]
        for a, b in itertools.combinations(drawn, 2):
            if _hex(a[1]) == _hex(b[1]):
                continue
            widths = sorted([a[4], b[4]])
            same = (a[2] == b[2] and a[3] == b[3]
                    and widths[1] < 2 * widths[0])  # a thin rule next to a thick curve is fine
            assert not same, (f"{name} ax{i}: {a[0]!r} and {b[0]!r} differ "
                              f"only by colour ({a[2]}, {a[3]})")


@pytest.mark.parametrize("name", [c.__name__ for c in PLOT_CLASSES])
def test_text_is_readable_on_a_projector(built, name):
    p = built[name]
    small = []
    for t in p.fig.findobj(matplotlib.text.Text):
        if t.get_visible() and t.get_text().strip() and t.get_fontsize() < 9.0:
            small.append((t.get_text()[:30], t.get_fontsize()))
    assert not small, small


#: States reached through controls that recolour or restyle artists (update, not draw).
UPDATED_STATES = [
    ("LiquidationDistancePlot", dict(side="short")),
    ("CrashBarsPlot", dict(mode="cross", crash=0.6)),
    ("LiquidationRegionPlot", dict(price_a=1.5, price_b=0.3)),
    ("EquityPlot", dict(side="short")),
    ("ReturnOnMarginPlot", dict(side="short")),
]


@pytest.mark.parametrize("name, changes", UPDATED_STATES, ids=[n for n, _ in UPDATED_STATES])
def test_updated_states_keep_the_style(name, changes):
    cls = next(c for c in PLOT_CLASSES if c.__name__ == name)
    p = cls(static=True)
    p.set(**changes)
    p.fig.canvas.draw()
    bad = [(where, _hex(c)) for where, c in _colours(p) if _hex(c) not in ALLOWED]
    assert not bad, bad
    small = [t.get_text()[:30] for t in p.fig.findobj(matplotlib.text.Text)
             if t.get_visible() and t.get_text().strip() and t.get_fontsize() < 9.0]
    assert not small, small


#: Colour maps (or their reverses) ordered in lightness for colour-blind readers (cividis: Nuñez, Anderton
#: and Renslow 2018, https://doi.org/10.1371/journal.pone.0199239; viridis: matplotlib's default).
SAFE_CMAPS = {"cividis", "viridis", "cividis_r", "viridis_r"}


@pytest.mark.parametrize("name", [c.__name__ for c in PLOT_CLASSES])
def test_images_use_a_colour_blind_safe_map(built, name):
    p = built[name]
    maps = {im.get_cmap().name for ax in p.fig.axes for im in ax.get_images()}
    assert maps <= SAFE_CMAPS, maps
