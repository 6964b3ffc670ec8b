"""Lambda entry points of the notifications service."""
