"""What the course notebooks share, without matplotlib or ipywidgets.

* :mod:`marginlib.course.defaults` -- the article's setting (a token at 2.50, 100 USDC of
  margin, 10×, maintenance 5 %) used as the default of every figure and widget.
* :mod:`marginlib.course.contagion` -- the contagion lab's scenarios (notebook 04).
* :mod:`marginlib.course.checks` -- the exercise checkers (expected answer, units, tolerance
  and known misconceptions with a targeted hint each).
* :mod:`marginlib.course.scenarios` -- the seeded demo price path the liquidation figures
  share.

Import the submodule you use (``from marginlib.course.checks import Question``); this package
imports nothing on its own, so ``import marginlib.course.checks`` stays as light as numpy.
"""
