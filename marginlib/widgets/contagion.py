"""Widgets for notebook 04 (isolated vs cross margin): the contagion lab.

* :func:`crash_widget` -- crash-size slider, margin-mode toggle, deposit scenario and
  "step by step / one gap" over :func:`marginlib.plots.crash_bars`.
* :func:`loss_distribution_widget` -- correlation, leverage and horizon sliders
  (``continuous_update=False``: each change runs a Monte Carlo) and a book toggle over
  :func:`marginlib.plots.loss_distributions`, with a progress bar fed by the simulation's
  ``progress`` callback and the probabilities shown as numbers.
* :func:`liquidation_region_widget` -- price sliders for the two tokens (the point in the
  plane) and a pair toggle over :func:`marginlib.plots.liquidation_region`.
"""
from __future__ import annotations

import ipywidgets as widgets

from ..course.contagion import BOOKS, PAIRS
from ..plots.contagion import crash_bars, liquidation_region, loss_distributions
from ._base import LiveFigure, int_slider, slider, toggle

__all__ = ["crash_widget", "loss_distribution_widget", "liquidation_region_widget"]


# ------------------------------------------------------------------------------ crash ---

def _crash_caption(plot, params):
    out = plot.outcome
    names = out.labels[:-2]
    crashed = names[params.get("token", 0)]
    lost = (f"the account lost <b>{out.lost:,.2f} USDC</b> "
            f"({100 * out.lost / out.capital:.1f} % of {out.capital:,.0f})")
    debt = (f"; <b>bad debt {out.bad_debt:,.2f} USDC</b> (the loss beyond the margin, paid by "
            "the venue's insurance fund)" if out.bad_debt > 0 else "")
    hit = [n for n, liq in zip(names, out.liquidated) if liq]
    if not hit:
        if out.mode == "cross" and out.after[params.get("token", 0)] < 0:
            return (f"Cross: no liquidation — {crashed}'s loss is carried by the shared wallet "
                    f"(its bar is below zero: it is eating the other positions' margin and the "
                    f"free collateral); {lost}{debt}.")
        return f"No liquidation: {lost}{debt}."
    where = f"{crashed} at {out.exit_prices[names.index(hit[0])]:.4f}"
    if out.mode == "isolated":
        spared = [n for n in names if n not in hit]
        return (f"Isolated: only <b>{', '.join(hit)}</b> liquidated ({where}); "
                f"{', '.join(spared) or 'nothing'} untouched; {lost}{debt}.")
    return (f"Cross: the <b>whole account</b> was liquidated ({where}): all "
            f"{len(hit)} positions closed, {out.after[-1]:,.2f} USDC left; {lost}{debt}.")


def crash_widget(crash=0.40, mode="isolated", scenario="all-in", gap=False):
    """Live figure: one token crashes; each position's equity and the account, before → after.

    Controls (keys of ``.controls``): ``"crash"`` (0–90 % fall of AGENT), ``"mode"``
    (isolated / cross), ``"scenario"`` (the all-in deposit of 300 USDC or 1,000 with spare
    collateral), ``"gap"`` (marked every 0.5 % or one gap).

    Returns
    -------
    marginlib.widgets.LiveFigure
        ``.plot`` is the :class:`marginlib.plots.contagion.CrashBarsPlot` (its ``outcome``
        holds the numbers).
    """
    plot = crash_bars(crash=crash, mode=mode, scenario=scenario, gap=gap)
    controls = {
        "crash": slider("AGENT crash", crash, 0.0, 0.9, 0.01, fmt=".0%"),
        "mode": toggle("margin mode", ["isolated", "cross"], mode),
        "scenario": toggle("deposit", [("all-in: 300", "all-in"), ("spare: 1,000", "spare")],
                           scenario),
        "gap": toggle("the crash comes", [("step by step", False), ("as one gap", True)], gap),
    }
    return LiveFigure(plot, controls, caption=_crash_caption,
                      title="Crash one token: isolated pools vs one cross wallet")


# ------------------------------------------------------------------------ Monte Carlo ---

def _pct(x):
    return f"{100 * x:.1f} %"


def _loss_caption(plot, params):
    rows = [("P(at least one liquidation)", "p_any_liquidation"),
            ("P(lose everything)", "p_lose_everything"),
            ("mean loss", "expected_loss"),
            ("99 % VaR (loss exceeded on 1 % of paths)", "var_99"),
            ("mean of the worst 1 % (CVaR 99)", "cvar_99")]
    body = "".join(
        f"<tr><td>{label}</td><td style='text-align:right'><b>"
        f"{_pct(getattr(plot.isolated, name))}</b></td><td style='text-align:right'><b>"
        f"{_pct(getattr(plot.cross, name))}</b></td></tr>" for label, name in rows)
    return ("<table><tr><th></th><th>isolated</th><th>cross</th></tr>" + body + "</table>"
            f"<small>{plot.isolated.n_paths:,} paths, the same paths for both modes "
            "(losses as a share of capital).</small>")


def loss_distribution_widget(correlation=0.5, leverage=5.0, horizon_days=7, book="three longs",
                             *, n_paths=2_000, rng=4):
    """Live figure: loss distributions of both margin modes on the same simulated paths.

    Controls (keys of ``.controls``): ``"correlation"`` (ρ, 0–1), ``"leverage"`` (1–10×, the
    small-cap venue's maximum), ``"horizon_days"`` (1–30), all with
    ``continuous_update=False``; ``"book"`` (three longs / hedged pair). ``n_paths`` and
    ``rng`` are fixed. A progress bar (``.progress``) follows each simulation.

    Returns
    -------
    marginlib.widgets.LiveFigure
        ``.plot`` is the :class:`marginlib.plots.contagion.LossDistributionPlot`.
    """
    bar = widgets.FloatProgress(value=0.0, min=0.0, max=1.0, description="simulating",
                                bar_style="info", style={"description_width": "150px"},
                                layout=widgets.Layout(width="430px"))

    def progress(fraction):
        bar.value = min(max(float(fraction), 0.0), 1.0)
        bar.description = "simulating" if fraction < 1 else "done"

    plot = loss_distributions(correlation=correlation, leverage=leverage,
                                     horizon_days=horizon_days, book=book, n_paths=n_paths,
                                     rng=rng, progress=progress)
    controls = {
        "correlation": slider("correlation ρ", correlation, 0.0, 1.0, 0.05,
                              continuous_update=False),
        "leverage": slider("leverage (each)", leverage, 1.0, 10.0, 0.5,
                           continuous_update=False, fmt=".1f"),
        "horizon_days": int_slider("horizon (days)", horizon_days, 1, 30,
                                   continuous_update=False),
        "book": toggle("portfolio", list(BOOKS), book),
    }
    w = LiveFigure(plot, controls, fixed={"n_paths": n_paths, "rng": rng,
                                          "progress": progress},
                   caption=_loss_caption,
                   title="Correlation: loss distributions, isolated vs cross, same paths")
    progress(1.0)
    w.progress = bar
    children = list(w.children)
    children.insert(len(children) - 2, bar)  # under the controls, above the figure
    w.children = tuple(children)
    return w


# ------------------------------------------------------------------ liquidation region ---

def _region_caption(plot, params):
    b = plot.boundary
    iso_a, iso_b = plot.isolated_liquidation_prices
    state = ("<b style='color:#d62728'>liquidated</b>" if plot.liquidated else
             f"<b style='color:#2ca02c'>safe</b> (equity − maintenance "
             f"{b.margin_surplus:,.2f} USDC)")
    return (f"At AGENT {b.mark_price_a:.3f}, NEURAL {b.mark_price_b:.4f} the cross account is "
            f"{state}. AGENT's cross liquidation price <i>if NEURAL stays at "
            f"{b.mark_price_b:.4f}</i>: <b>{b.liquidation_price_a:.4f}</b> (quoted at opening: "
            f"{plot.opening.liquidation_price_a:.4f}); NEURAL's if AGENT stays: "
            f"<b>{b.liquidation_price_b:.4f}</b>. Isolated, each on its own margin: "
            f"{iso_a:.4f} and {iso_b:.4f}.")


def liquidation_region_widget(price_a=None, price_b=None, pair="two longs"):
    """Live figure: the (AGENT, NEURAL) price plane of a two-token cross account.

    Controls (keys of ``.controls``): ``"price_a"`` and ``"price_b"`` (the current prices, the
    point; 0.4 % to 200 % of entry, in steps of 0.4 %) and ``"pair"`` (two longs / hedged pair).

    Returns
    -------
    marginlib.widgets.LiveFigure
        ``.plot`` is the :class:`marginlib.plots.contagion.LiquidationRegionPlot`.
    """
    ea, eb = PAIRS[pair]["entry_prices"]
    price_a = ea if price_a is None else price_a
    price_b = eb if price_b is None else price_b
    plot = liquidation_region(price_a=price_a, price_b=price_b, pair=pair)
    # min = step, so the slider's grid (min + k·step) holds the entry prices exactly: a value
    # off the grid would be snapped by the browser and sent back to the kernel.
    controls = {
        "price_a": slider("AGENT price (A)", price_a, ea / 250, 2.0 * ea, ea / 250, fmt=".3f"),
        "price_b": slider("NEURAL price (B)", price_b, eb / 250, 2.0 * eb, eb / 250, fmt=".4f"),
        "pair": toggle("cross account", list(PAIRS), pair),
    }
    return LiveFigure(plot, controls, caption=_region_caption,
                      title="Where is a two-token cross account liquidated?")
