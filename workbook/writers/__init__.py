"""Writers package what they are given: they never read sources or templates."""
