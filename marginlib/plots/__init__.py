"""Plots for the course: each returns a LivePlot whose artists update in place.

``from marginlib import plots``; every builder takes ``ax=None`` and returns what it drew.
"""
from ._base import COLORS, LivePlot, new_axes, png_bytes, set_limits, static_figure  # noqa: F401
from .liquidation import (LiquidationDistancePlot, LiquidationPathPlot,  # noqa: F401
                          MarginLostPlot, liquidation_distance, liquidation_path,
                          margin_lost_at_liquidation)
from .leverage import EquityPlot, NotionalPlot, ReturnOnMarginPlot  # noqa: F401
from .contagion import (CorrelationSweepPlot, CrashBarsPlot, LiquidationRegionPlot,  # noqa: F401
                        LossDistributionPlot, correlation_sweep, crash_bars, liquidation_region,
                        loss_distributions)
from .funding import (FundingDragPlot, FundingDriftPlot, RightDirectionPlot,  # noqa: F401
                      ScheduleComparisonPlot, funding_drag, funding_drift, right_direction,
                      schedule_comparison)
from .liquidity import BookLiquidationPlot, FillDepthPlot, fill_vs_depth, liquidation_in_books  # noqa: F401
from .cascade import CascadeRoundsPlot, cascade_rounds  # noqa: F401
from .choosing import LiquidationHeatmapPlot, liquidation_heatmap  # noqa: F401
