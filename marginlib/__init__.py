"""marginlib: the maths of perpetual-futures margin risk, for the course notebooks.

Pure, vectorised numpy: scalars in give a float out, arrays broadcast. Plotting lives in
``marginlib.plots`` and widgets in ``marginlib.widgets``; neither is imported here, so
``import marginlib`` stays as light as numpy.

>>> import marginlib as ml
>>> ml.liquidation_price("long", entry_price=50_000, size=1, margin=5_000)
45000.0
"""
from .account import *  # noqa: F401,F403
from .funding import *  # noqa: F401,F403
from .funding_data import *  # noqa: F401,F403
from .liquidation import *  # noqa: F401,F403
from .montecarlo import *  # noqa: F401,F403
from .paths import *  # noqa: F401,F403
from .position import *  # noqa: F401,F403
from .probability import *  # noqa: F401,F403
from .region import *  # noqa: F401,F403
from .tiers import *  # noqa: F401,F403
from .venues import *  # noqa: F401,F403
from .venue_rules import *  # noqa: F401,F403
from . import (account, region, funding, funding_data, liquidation, montecarlo, paths, position,
               probability, tiers, venue_rules, venues)

__version__ = "0.1.0"

__all__ = (position.__all__ + liquidation.__all__ + tiers.__all__ + funding.__all__
           + funding_data.__all__
           + venues.__all__ + venue_rules.__all__ + account.__all__ + region.__all__
           + paths.__all__ + montecarlo.__all__ + probability.__all__)
