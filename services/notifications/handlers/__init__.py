"""Lambda entry points of the notifications service."""

SERVICE = "notifications"
