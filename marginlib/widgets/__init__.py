"""Widgets for the course: controls + live ipympl figure + a message line.

``from marginlib import widgets``; builders return the widget (display it yourself).
"""
from ._base import LiveFigure, canvas_widget, int_slider, slider, toggle  # noqa: F401
from .liquidation import (liquidation_distance_widget, liquidation_path_widget,  # noqa: F401
                          venue_table, venue_table_html)
from .leverage import equity_widget, notional_widget, return_on_margin_widget  # noqa: F401
from .contagion import (crash_widget, liquidation_region_widget,  # noqa: F401
                        loss_distribution_widget)
from .funding import funding_drag_widget, funding_drift_widget, right_direction_widget  # noqa: F401
from .liquidity import book_liquidation_widget, fill_widget  # noqa: F401
from .cascade import cascade_widget  # noqa: F401
from .choosing import liquidation_heatmap_widget  # noqa: F401
from .desk import desk_widget  # noqa: F401
