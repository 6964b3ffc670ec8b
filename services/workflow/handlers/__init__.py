"""Thin Lambda entry points of the workflow service."""

SERVICE = "workflow"
