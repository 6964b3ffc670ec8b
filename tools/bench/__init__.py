"""``shop bench``: many orders at once on a fresh local stack, with injected faults, measured.

- ``config``: what a run is asked to do (orders, fault rates, the decision mix).
- ``faults``: handler invocations that fail; bus events delivered twice.
- ``observe``: the mailbox indexed by order, and what each order's owner and customer saw.
- ``load``: the clients: place an order, wait for the owner's message, follow its link.
- ``evidence`` / ``invariants``: what the stack ended with, and the checks on it (pure).
- ``stats``: percentiles and throughput (pure).
- ``baseline``: the bare state machine on moto, for the overhead ratio.
- ``report``: the terminal summary, the JSON figures and the latency chart.
- ``runner``: one run from start to report.
"""
