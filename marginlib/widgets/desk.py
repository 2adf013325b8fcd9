"""The practice trading desk of notebook 08, as an order ticket (ipywidgets + one live figure).

* :func:`desk_widget` -- a :class:`DeskWidget` over a :class:`marginlib.course.desk.Desk`:
  the ticket (market, side, Isolated/Cross, margin, leverage, a live quote, Confirm), the
  position actions (pick a position, an amount, Add margin / Close / Switch mode / Deposit),
  scenario buttons (crash, rally, funding spike, leverage cut on the ticket's market, each
  advancing time), the blotter, the account panel, the event log and a live figure
  (:func:`marginlib.plots.desk.desk_figure`) built once and updated in place.

Every callback catches ``ValueError`` (the desk's plain refusals) and shows it in the message
line under the figure; anything else is shown as "something went wrong" with its text, never
as a traceback. A refused action changes nothing (see :class:`marginlib.course.desk.Desk`).
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from ..course.desk import SCENARIOS, SIDES, MODES, Desk
from ..plots.desk import desk_figure
from ._base import _fast_redraw, _no_autodraw, _show_update, canvas_widget, slider, toggle

__all__ = ["DeskWidget", "desk_widget", "blotter_html", "account_html", "log_html"]

_RED = "#b00020"

#: Button key → (label, scenario name) of the scenario buttons.
SCENARIO_BUTTONS = {"crash": ("Crash −40 %", "crash"), "rally": ("Rally +30 %", "rally"),
                    "funding": ("Funding spike", "funding spike"),
                    "leverage_cut": ("Venue cuts max leverage", "leverage cut")}
assert {s for _, s in SCENARIO_BUTTONS.values()} == set(SCENARIOS)


def _td(x, fmt="{:,.4g}"):
    if x is None:
        return "<td>—</td>"
    return f"<td style='text-align:right'>{html.escape(fmt.format(x))}</td>"


def blotter_html(desk):
    """The blotter as an HTML table (one row per open position)."""
    rows = desk.blotter()
    if not rows:
        return "<b>Blotter</b><br><i>no open position</i>"
    head = ("<tr><th>position</th><th>side</th><th>mode</th><th>size</th><th>entry</th>"
            "<th>mark</th><th>lev.</th><th>margin</th><th>UPNL</th><th>liq. price</th>"
            "<th>maint.</th></tr>")
    body = "".join(
        f"<tr><td>{html.escape(r['position'])}</td><td>{r['side']}</td><td>{r['mode']}</td>"
        + _td(r["size"]) + _td(r["entry"]) + _td(r["mark"]) + _td(r["leverage"], "{:g}×")
        + _td(r["margin"], "{:,.2f}") + _td(r["unrealized_pnl"], "{:+,.2f}")
        + _td(r["liquidation_price"]) + _td(100 * r["maintenance_margin_rate"], "{:g} %")
        + "</tr>" for r in rows)
    return f"<b>Blotter</b><table>{head}{body}</table>"


def account_html(desk):
    """The account panel as HTML (wallet, margins, UPNL, equity, every cost paid)."""
    s = desk.account_summary()
    items = [("wallet", s["wallet"]), ("isolated margins", s["isolated_margin"]),
             ("unrealised PnL", s["unrealized_pnl"]), ("equity", s["equity"]),
             ("deposits", s["deposits"]), ("trading fees paid", s["fees"]),
             ("liquidation penalties", s["liquidation_fees"]), ("gas paid", s["gas"]),
             ("funding received", s["funding"]), ("realised PnL", s["realized_pnl"]),
             ("bad debt (venue)", s["bad_debt"])]
    body = "".join(f"<tr><td>{k}</td>{_td(x, '{:,.2f}')}</tr>" for k, x in items)
    return (f"<b>Account</b> (t = {desk.time:g} h, {desk.network} gas)<table>{body}</table>"
            f"<small>nothing created or lost: error {s['conservation_error']:.1e}</small>")


def log_html(desk, last=12):
    """The newest ``last`` log entries, newest first, as HTML."""
    lines = [f"t={e.time:5.2f} h · {html.escape(e.text)}" for e in desk.log[::-1][:last]]
    more = len(desk.log) - len(lines)
    tail = f"<br><i>… {more} older</i>" if more > 0 else ""
    return "<b>Log</b> (newest first)<br>" + "<br>".join(lines) + tail


class DeskWidget(widgets.VBox):
    """The desk as an order ticket; see :func:`desk_widget`.

    Attributes
    ----------
    desk : marginlib.course.desk.Desk
        The desk the buttons act on (replaced by a new one by the Reset button).
    controls : dict
        ``market`` (Dropdown), ``side``, ``mode`` (ToggleButtons), ``margin``, ``leverage``,
        ``amount`` (FloatSlider), ``position`` (Dropdown of the open positions).
    buttons : dict
        ``confirm``, ``add_margin``, ``close``, ``switch``, ``deposit``, ``crash``, ``rally``,
        ``funding``, ``leverage_cut``, ``reset`` (ipywidgets.Button).
    message : ipywidgets.HTML
        The line under the figure: the last action's result or refusal, the live quote and
        the selected position.
    blotter_panel, account_panel, log_panel : ipywidgets.HTML
    plot : marginlib.plots.desk.DeskPlot
    fig : matplotlib Figure
    """

    def __init__(self, desk=None, *, market="AGENT", side="long", mode="isolated",
                 margin=100.0, leverage=10.0, amount=50.0):
        self.desk = Desk() if desk is None else desk
        if not isinstance(self.desk, Desk):
            raise ValueError(f"desk must be a marginlib.course.desk.Desk, got "
                             f"{type(self.desk).__name__}")
        markets = list(self.desk.markets)
        if market not in markets:
            raise ValueError(f"market must be one of {', '.join(markets)}, got {market!r}")
        self.plot = desk_figure(self.desk, market)
        self.fig = self.plot.fig
        # on an ipympl canvas: repaint only what an update changed (as LiveFigure does)
        self._fast = _fast_redraw(self.fig)
        self._status = ("", False)
        self._busy = False
        self.controls = {
            "market": widgets.Dropdown(options=markets, value=market, description="market",
                                       style={"description_width": "150px"},
                                       layout=widgets.Layout(width="300px")),
            "side": toggle("side", list(SIDES), side),
            "mode": toggle("margin mode", list(MODES), mode),
            "margin": slider("margin (USDC)", margin, 10.0, 1_000.0, 10.0, fmt=",.0f"),
            "leverage": slider("leverage (×)", leverage, 1.0, 10.0, 0.5, fmt=".1f"),
            "position": widgets.Dropdown(options=self.desk.positions, description="position",
                                         style={"description_width": "150px"},
                                         layout=widgets.Layout(width="300px")),
            "amount": slider("amount (USDC)", amount, 10.0, 500.0, 10.0, fmt=",.0f"),
        }
        def b(**kw):
            return widgets.Button(layout=widgets.Layout(width="auto"), **kw)
        self.buttons = {
            "confirm": b(description="Confirm order", button_style="primary"),
            "add_margin": b(description="Add margin"),
            "close": b(description="Close"),
            "switch": b(description="Switch mode"),
            "deposit": b(description="Deposit"),
            **{k: b(description=label, button_style="warning")
               for k, (label, _) in SCENARIO_BUTTONS.items()},
            "reset": b(description="New desk", button_style="danger"),
        }
        self.message = widgets.HTML(layout=widgets.Layout(min_height="3.2em"))
        self.blotter_panel = widgets.HTML()
        self.account_panel = widgets.HTML(layout=widgets.Layout(min_width="280px"))
        self.log_panel = widgets.HTML(layout=widgets.Layout(max_height="16em", overflow="auto"))
        c, bt = self.controls, self.buttons
        ticket = widgets.VBox([widgets.HTML("<b>Order ticket</b>"), c["market"], c["side"],
                               c["mode"], c["margin"], c["leverage"], bt["confirm"]])
        actions = widgets.VBox([widgets.HTML("<b>Positions</b>"), c["position"], c["amount"],
                                widgets.HBox([bt["add_margin"], bt["close"], bt["switch"]]),
                                widgets.HBox([bt["deposit"], bt["reset"]])])
        scenarios = widgets.HBox([widgets.HTML("<b>Scenario on the ticket's market:</b>")]
                                 + [bt[k] for k in SCENARIO_BUTTONS])
        super().__init__([
            widgets.HTML("<b>Practice desk</b> (prices, fees and gas: see notebook 08)"),
            widgets.HBox([ticket, actions]), scenarios, canvas_widget(self.fig), self.message,
            widgets.HBox([self.blotter_panel, self.account_panel]), self.log_panel])
        for name in ("market", "side", "mode", "margin", "leverage", "position", "amount"):
            c[name].observe(self._on_change, names="value")
        handlers = {"confirm": self.confirm, "add_margin": self.add_margin,
                    "close": self.close_position, "switch": self.switch_mode,
                    "deposit": self.deposit, "reset": self.reset}
        handlers.update({k: (lambda s: lambda _b=None: self.scenario(s))(s)
                         for k, (_, s) in SCENARIO_BUTTONS.items()})
        for key, handler in handlers.items():
            bt[key].on_click(lambda _button, h=handler: h())
        self.refresh()

    # ---- actions (also callable from code: what a click does) ---------------------------

    def _run(self, what, action):
        """Run ``action()``; a refusal becomes the message, the desk unchanged."""
        first = len(self.desk.log)
        try:
            result = action()
        except ValueError as exc:
            self._status = (f"⚠ {what} refused: {exc}", True)
        except Exception as exc:  # noqa: BLE001 - a learner never sees a traceback
            self._status = (f"⚠ Something went wrong: {type(exc).__name__}: {exc}", True)
        else:
            texts = [e.text for e in self.desk.log[first:]] or [what]
            self._status = ("✔ " + " ".join(texts), False)
            return result
        finally:
            self.refresh()
        return None

    def confirm(self):
        """Place the ticket's order (the Confirm button)."""
        c = self.controls
        name = self._run("order", lambda: self.desk.open(
            c["market"].value, c["side"].value, mode=c["mode"].value,
            margin=c["margin"].value, leverage=c["leverage"].value))
        if name is not None:
            self._select(name)
        return name

    def _selected(self):
        name = self.controls["position"].value
        if name is None:
            raise ValueError("no position selected: open one with the ticket first")
        return name

    def add_margin(self):
        """Add the amount to the selected isolated position (the Add margin button)."""
        self._run("add margin", lambda: self.desk.add_margin(
            self._selected(), amount=self.controls["amount"].value))

    def close_position(self):
        """Close the selected position at its mark (the Close button)."""
        self._run("close", lambda: self.desk.close(self._selected()))

    def switch_mode(self):
        """Close and reopen the selected position in the other mode (the Switch mode button)."""
        name = self._run("switch", lambda: self.desk.switch_mode(self._selected()))
        if name is not None:
            self._select(name)
        return name

    def deposit(self):
        """Deposit the amount (the Deposit button)."""
        self._run("deposit", lambda: self.desk.deposit(self.controls["amount"].value))

    def scenario(self, name):
        """Apply scenario ``name`` to the ticket's market (a scenario button)."""
        self._run(name, lambda: self.desk.apply_scenario(
            name, market=self.controls["market"].value))

    def reset(self):
        """Start again with a new desk (the New desk button)."""
        self._run("new desk", lambda: setattr(self, "desk", Desk()))
        self._status = ("✔ A new desk: 1,000 USDC in the wallet, no position.", False)
        self.refresh()

    # ---- display ------------------------------------------------------------------------

    def _select(self, name):
        if name in self.controls["position"].options:
            self.controls["position"].value = name
            self.refresh()

    def _on_change(self, _change):
        if not self._busy:
            self.refresh()

    def _ticket_text(self):
        c = self.controls
        what = (f"{c['side'].value} {c['market'].value}, {c['mode'].value}, margin "
                f"{c['margin'].value:,.0f} USDC at {c['leverage'].value:g}×")
        try:
            q = self.desk.quote(c["market"].value, c["side"].value, mode=c["mode"].value,
                                margin=c["margin"].value, leverage=c["leverage"].value)
        except ValueError as exc:
            return f"Ticket ({what}): ⚠ {exc}", True, None
        liq = (f"liquidation ≈ {q.liquidation_price:.4g} ({100 * q.distance:.2f} % away)"
               if q.liquidation_price > 0 else "no liquidation at a positive price")
        return (f"Ticket ({what}): size {q.size:,.4g} {q.market} at {q.entry_price:.4g}; "
                f"{liq}; fee {q.fee:,.2f}, gas {q.gas:,.2f}; {q.from_wallet:,.2f} USDC leaves "
                "the wallet.", False, q)

    def _position_text(self):
        name = self.controls["position"].value
        amount = self.controls["amount"].value
        if name is None:
            return f"No open position (amount {amount:,.0f} USDC for Deposit).", None
        row = next(r for r in self.desk.blotter() if r["position"] == name)
        text = (f"{name}: {row['side']} {row['mode']}, liquidation {row['liquidation_price']:.4g}"
                f", UPNL {row['unrealized_pnl']:+,.2f}; switch mode costs "
                f"{self.desk.switch_cost(name):,.2f} USDC")
        preview = None
        if row["mode"] == "isolated":
            trial = self.desk.account  # a copy: the preview changes nothing
            try:
                trial.add_margin(name, amount=amount)
            except ValueError:
                text += f"; the wallet cannot spare {amount:,.0f} USDC to add"
            else:
                preview = trial.liquidation_price(name)
                text += f"; adding {amount:,.0f} USDC moves liquidation to {preview:.4g}"
        else:
            text += f" (cross: Add margin refused, Deposit {amount:,.0f} USDC instead)"
        return text + ".", preview

    def refresh(self):
        """Redraw everything from the desk: options, figure, quote, tables, log."""
        self._busy = True
        try:
            pos = self.controls["position"]
            names = self.desk.positions
            if list(pos.options) != names:
                keep = pos.value if pos.value in names else (names[-1] if names else None)
                pos.options = names
                pos.value = keep
            ticket, bad, quote = self._ticket_text()
            position, preview = self._position_text()
            with _no_autodraw(self.fig):  # the frame is sent below, not by each change
                self.plot.update(desk=self.desk, market=self.controls["market"].value,
                                 quote=quote, selected=pos.value, preview=preview)
                _show_update(self.fig, self._fast)
            lines = [self._status] if self._status[0] else []
            lines += [(ticket, bad), (position, False)]
            self.blotter_panel.value = blotter_html(self.desk)
            self.account_panel.value = account_html(self.desk)
            self.log_panel.value = log_html(self.desk)
        except Exception as exc:  # noqa: BLE001 - a learner never sees a traceback
            lines = [(f"⚠ Something went wrong: {type(exc).__name__}: {exc}", True)]
        finally:
            self._busy = False
        lines.sort(key=lambda x: not x[1])  # a warning first (the message then starts with ⚠)
        self.message.value = "<br>".join(
            f'<span style="color:{_RED}">{html.escape(t)}</span>' if bad else html.escape(t)
            for t, bad in lines)


def desk_widget(desk=None, *, market="AGENT", side="long", mode="isolated", margin=100.0,
                leverage=10.0, amount=50.0):
    """The practice desk as an order ticket with a live figure.

    Parameters
    ----------
    desk : marginlib.course.desk.Desk, optional
        The desk to drive (default a new one: 1,000 USDC, Arbitrum gas).
    market, side, mode, margin, leverage, amount
        The controls' starting values (margin 10–1,000 USDC, leverage 1–10×, amount
        10–500 USDC).

    Returns
    -------
    DeskWidget
        ``.controls`` and ``.buttons`` (dicts of ipywidgets) drive it, ``.desk`` is the desk.
    """
    return DeskWidget(desk, market=market, side=side, mode=mode, margin=margin,
                      leverage=leverage, amount=amount)
