"""The :class:`Venue` record shared by the venue modules (kept apart to avoid import cycles)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validation as v
from ..liquidation import CONVENTIONS
from ..tiers import MarginTiers, margin_tiers

__all__ = ["Venue"]


@dataclass(frozen=True)
class Venue:
    """One venue's margin rules for one market (a preset or your own).

    Fields are validated when the record is built, also through ``dataclasses.replace``.

    Attributes
    ----------
    key : str
        Short identifier (``"dydx_v4_small_cap"``).
    name : str
        Human-readable name for tables and legends.
    max_leverage : float
        Largest leverage the venue allows for a small position, >= 1.
    tiers : MarginTiers
        Maintenance-margin table (a single tier for a flat rate).
    convention : {"mark", "entry"}
        Where maintenance is evaluated (see :func:`marginlib.liquidation.liquidation_price`);
        exactly one of these two strings (``"Mark"`` is refused).
    taker_fee_rate : float
        Taker fee, fraction of notional in [0, 1].
    fee_in_requirement : bool
        Whether the closing taker fee is part of the liquidation condition.
    liquidation_fee_rate : float
        Liquidation fee/penalty as a fraction of notional in [0, 1] (100 % allowed, as on
        dYdX; 0 where not published).
    funding_interval_hours : float
        Funding settlement interval, > 0.
    source : str
        Where the numbers come from.
    as_of : str
        Date of the source snapshot.
    notes : str
        Caveats.

    Examples
    --------
    >>> from marginlib.tiers import margin_tiers
    >>> Venue(key="mine", name="Mine", max_leverage=20,
    ...       tiers=margin_tiers(floors=[0.0], rates=[0.005]), convention="Mark")
    Traceback (most recent call last):
    ...
    ValueError: Venue.convention must be 'mark' or 'entry', got 'Mark'
    """

    key: str
    name: str
    max_leverage: float
    tiers: MarginTiers
    convention: str = "mark"
    taker_fee_rate: float = 0.0
    fee_in_requirement: bool = False
    liquidation_fee_rate: float = 0.0
    funding_interval_hours: float = 8.0
    source: str = ""
    as_of: str = ""
    notes: str = ""

    def __post_init__(self):
        for name in ("key", "name", "source", "as_of", "notes"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise ValueError(f"Venue.{name} must be a string, got {value!r}")
        if not self.key:
            raise ValueError("Venue.key must be a non-empty string")
        if not isinstance(self.tiers, MarginTiers):
            raise ValueError(f"Venue.tiers must be a MarginTiers (see marginlib.tiers."
                             f"margin_tiers), got {type(self.tiers).__name__}")
        if not isinstance(self.convention, str) or self.convention not in CONVENTIONS:
            raise ValueError(
                f"Venue.convention must be 'mark' or 'entry', got {self.convention!r}")
        if not isinstance(self.fee_in_requirement, (bool, np.bool_)):
            raise ValueError(f"Venue.fee_in_requirement must be True or False, "
                             f"got {self.fee_in_requirement!r}")
        numbers = (("max_leverage", lambda n, x: v.leverage_value(n, x)),
                   ("taker_fee_rate", v.fee_rate), ("liquidation_fee_rate", v.fee_rate),
                   ("funding_interval_hours", v.positive))
        for name, check in numbers:
            object.__setattr__(self, name,
                               v.single_number(f"Venue.{name}", getattr(self, name), check))
        object.__setattr__(self, "fee_in_requirement", bool(self.fee_in_requirement))

    def max_leverage_at(self, notional):
        """Maximum leverage at ``notional``: the tier's, where the table publishes one."""
        if self.tiers.max_leverages:
            return self.tiers.max_leverage(notional)
        return self.max_leverage


def flat_tiers(rate, max_leverage, name, source, as_of):
    """A one-tier table (a flat maintenance rate)."""
    return margin_tiers(floors=[0.0], rates=[rate], max_leverages=[max_leverage], name=name, source=source, as_of=as_of)


def fraction(name, value):
    """A fraction in (0, 1] (dYdX's IMF can be 1: the Safety tier)."""
    arr = v.finite(name, value)
    bad = (arr <= 0) | (arr > 1)
    if np.any(bad):
        flat = np.ravel(arr[bad])
        raise ValueError(
            f"{name} must be a fraction in (0, 1] (0.05 = 5 %), got {float(flat[0])!r}")
    return arr
