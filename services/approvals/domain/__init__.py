"""Approval rules: open one per order, first decision wins, cancellation closes it."""
