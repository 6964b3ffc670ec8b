"""The local stack: the whole shop on one machine, with moto as the embedded AWS."""
