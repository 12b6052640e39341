"""Reconciliation: interview answers against the household archive record (match), the classification
(错评 / 漏评 / 错退 / 认可), and the service that runs both and keeps the results."""
