"""Widgets for the course: controls + live ipympl figure + a message line.

``from marginlib import widgets``; builders return the widget (display it yourself).
"""
from ._base import LiveFigure, canvas_widget, int_slider, slider, toggle  # noqa: F401
from .liquidation import liquidation_distance, liquidation_path, venue_table, venue_table_html  # noqa: F401,E501
