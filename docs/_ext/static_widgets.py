"""Static snapshots of the course's live figures, for the course site only.

The site build (``docs/conf.py``) loads this module into every notebook kernel through an
IPython startup file in a build-only ``IPYTHONDIR``; the notebooks themselves, and what a
learner sees in JupyterLab, do not change. :func:`install` makes every displayed widget also
carry a ``text/html`` rendering of itself *at the moment it is displayed*: the figure as a PNG
(rendered by matplotlib, ``<img class="ml-figure">``), each control as "name: value", the
caption under the figure. The site then prefers that HTML to the widget view, so a reader
sees every figure without a kernel and without the widget JavaScript (which the static page
would load from a CDN). Snapshots are taken per display, so re-displaying a canvas later does
not rewrite an earlier picture (ipympl keeps one ``_data_url`` per canvas).

Buttons are left out (nothing to press on a page); an ``Output`` widget shows what was put in
it from Python (``outputs``), not what the front end captured. An element that cannot be
rendered shows ``ml-static-error`` (the site test fails on it).
"""
from __future__ import annotations

import base64
import html
import io

SNAPSHOT_NOTE = ("Static snapshot of a live figure: open the notebook in JupyterLab to move "
                 "the controls.")


def _figure_png(fig):
    """The figure as a PNG data URL, with its width in CSS pixels and an alt text."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi="figure")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    width = int(round(fig.get_figwidth() * fig.get_dpi()))
    titles = [t for t in ([fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) else [])
              + [ax.get_title() for ax in fig.axes] if t]
    alt = "Figure: " + "; ".join(titles) if titles else "Figure"
    return f"data:image/png;base64,{data}", width, alt


def _img(fig):
    url, width, alt = _figure_png(fig)
    return (f'<img class="ml-figure" src="{url}" alt="{html.escape(alt)}" '
            f'style="max-width:100%; width:{width}px">')


def _format_value(w):
    """A control's value as the reader would read it on the widget."""
    value = w.value
    label = getattr(w, "label", None)
    if label is not None and hasattr(w, "options"):  # selections: the visible label
        return str(label)
    if isinstance(value, bool):
        return "on" if value else "off"
    fmt = getattr(w, "readout_format", None)
    if isinstance(value, (tuple, list)):
        parts = [_format_number(v, fmt) for v in value]
        return " – ".join(parts)
    return _format_number(value, fmt)


def _format_number(v, fmt):
    if fmt and isinstance(v, (int, float)):
        try:
            return format(v, fmt)
        except (ValueError, TypeError):
            pass
    return str(v)


def _hidden(w):
    layout = getattr(w, "layout", None)
    return layout is not None and (layout.display == "none" or layout.visibility == "hidden")


def _output_html(out):
    """An ``Output`` widget's captured outputs (text, HTML, PNG) as HTML."""
    parts = []
    for o in out.outputs:
        if o.get("output_type") == "stream":
            parts.append(f'<pre class="ml-output-text">{html.escape(o.get("text", ""))}</pre>')
            continue
        data = o.get("data", {})
        if "image/png" in data:
            parts.append(f'<img src="data:image/png;base64,{data["image/png"]}" '
                         'style="max-width:100%" alt="output image">')
        elif "text/html" in data:
            parts.append(str(data["text/html"]))
        elif "text/plain" in data:
            parts.append(f'<pre class="ml-output-text">{html.escape(str(data["text/plain"]))}</pre>')
    return "".join(parts)


def render(widget):
    """HTML for ``widget`` and its children (see the module docstring)."""
    import ipywidgets as w

    canvas_cls = _canvas_class()
    if _hidden(widget):
        return ""
    if canvas_cls is not None and isinstance(widget, canvas_cls):
        return _img(widget.figure)
    if isinstance(widget, w.Box):
        kids = [render(c) for c in widget.children]
        direction = "row" if isinstance(widget, w.HBox) else "column"
        return (f'<div class="ml-box" style="display:flex; flex-direction:{direction}; '
                f'flex-wrap:wrap; gap:0.3em 1.2em">{"".join(k for k in kids if k)}</div>')
    if isinstance(widget, (w.HTML, w.HTMLMath)):
        return f'<div class="ml-html">{widget.value}</div>' if widget.value else ""
    if isinstance(widget, w.Label):
        return f'<div class="ml-html">{html.escape(widget.value)}</div>' if widget.value else ""
    if isinstance(widget, w.Output):
        return _output_html(widget)
    if isinstance(widget, w.Button):
        return ""
    if isinstance(widget, w.ValueWidget) and hasattr(widget, "value"):
        desc = html.escape(getattr(widget, "description", "") or "")
        value = html.escape(_format_value(widget))
        return (f'<span class="ml-control"><span class="ml-control-name">{desc}</span> '
                f'<b class="ml-control-value">{value}</b></span>')
    return ""


def _canvas_class():
    try:
        from ipympl.backend_nbagg import Canvas
    except ImportError:  # pragma: no cover - the course installs ipympl
        return None
    return Canvas


def snapshot_html(widget):
    """The ``text/html`` a displayed widget carries on the site."""
    try:
        body = render(widget)
    except Exception as exc:  # noqa: BLE001 - shown on the page and caught by tests/test_site.py
        return ('<div class="ml-static-widget ml-static-error">could not render this widget: '
                f"{html.escape(type(exc).__name__)}: {html.escape(str(exc))}</div>")
    has_figure = 'class="ml-figure"' in body
    note = f'<p class="ml-static-note">{SNAPSHOT_NOTE}</p>' if has_figure else ""
    return f'<div class="ml-static-widget">{body}{note}</div>'


def install():
    """Give every displayed widget (and ipympl canvas) a static ``text/html`` snapshot."""
    import ipywidgets

    view = "application/vnd.jupyter.widget-view+json"

    def wrap(original):
        def _repr_mimebundle_(self, **kwargs):
            data = original(self, **kwargs)
            if isinstance(data, dict) and view in data:
                data = dict(data)
                data["text/html"] = snapshot_html(self)
                data.pop("image/png", None)
            return data
        _repr_mimebundle_.__wrapped__ = original
        return _repr_mimebundle_

    ipywidgets.Widget._repr_mimebundle_ = wrap(ipywidgets.Widget._repr_mimebundle_)
    canvas = _canvas_class()
    if canvas is not None and "_repr_mimebundle_" in vars(canvas):
        canvas._repr_mimebundle_ = wrap(canvas._repr_mimebundle_)
