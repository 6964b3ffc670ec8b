"""Thin Lambda entry points: parse, call the domain, shape the response."""
