"""The AWS cost of one order, and of a month of them, in our design and an all-Lambda one.

``prices.json`` is the public price list (dated, with sources); ``asl_paths`` walks the state
machine per outcome; ``usage`` follows an order through the wirings and ``operations``;
``model`` prices it; ``report`` prints it for ``shop cost``.
"""
