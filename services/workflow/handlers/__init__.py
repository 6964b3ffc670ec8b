"""Thin Lambda entry points of the workflow service."""

# One namespace for the whole shop, so dashboards find every service's counters.
METRICS_NAMESPACE = "Shop"
SERVICE = "workflow"
