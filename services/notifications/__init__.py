"""Notifications: the customer emails (order received, shipped, cancelled, feedback request)."""
