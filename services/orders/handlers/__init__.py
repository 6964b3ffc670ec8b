"""Thin Lambda entry points of the orders service."""
