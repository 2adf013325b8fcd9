"""Controls + live figure + message: the one widget pattern of the course.

:class:`LiveFigure` is an ``ipywidgets.VBox`` holding the controls, the figure's canvas
(an ipympl widget under ``%matplotlib widget``) and a message line. A change of any control
calls the plot's ``update`` with every control's value and then ``fig.canvas.draw_idle()``:
no figure is re-created and no layout recomputed. Exceptions never reach the learner as a
traceback: a ``ValueError`` from ``marginlib`` (bad combination of inputs) is shown as a
plain-language message in the UI and the figure keeps its last valid state; anything else is
shown as "something went wrong" with the error text.

Controls are bounded sliders and toggles, so most invalid states are unreachable; the message
covers the rest (e.g. a margin below maintenance at entry).
"""
from __future__ import annotations

import html

import ipywidgets as widgets

__all__ = ["LiveFigure", "slider", "int_slider", "toggle", "canvas_widget"]

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
    return out


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
        try:
            self.plot.update(**params)
        except ValueError as exc:
            self.show_message(f"⚠ {exc}", error=True)
            return False
        except Exception as exc:  # noqa: BLE001 - a learner never sees a traceback
            self.show_message(f"⚠ Something went wrong: {type(exc).__name__}: {exc}",
                              error=True)
            return False
        self.plot.params = params
        self.fig.canvas.draw_idle()
        self.show_message(self.caption(self.plot, params) if self.caption else "")
        return True

    def show_message(self, text, *, error=False):
        """Show ``text`` under the figure (escaped and red when it is an error)."""
        if error:
            self.message.value = ('<span style="color:#b00020">'
                                  f"{html.escape(str(text))}</span>")
        else:
            self.message.value = text
