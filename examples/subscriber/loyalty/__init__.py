"""Loyalty points for shipped orders: another team's subscriber to the shop's events.

It depends on the shop only through what the shop publishes (the bus, its SSM parameters,
the event schemas and examples), never on the shop's code.
"""
