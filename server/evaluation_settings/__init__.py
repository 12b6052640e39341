"""An evaluation's settings that several domain packages decide by: the reconciliation's (poverty lines,
tolerances, the classification rules and its verdict words), read by the reconciliation, the figures and
the back-checks alike."""
