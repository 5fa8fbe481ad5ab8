"""Training: cross-validation, thresholds, the context stage's fit, comparison, label audit, reports."""
