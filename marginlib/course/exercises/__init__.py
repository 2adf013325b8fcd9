"""Exercise checkers of each notebook: one module per notebook (ch00, ch01, ...)."""
