"""The loyalty service's own CDK app: a rule on the shop's bus, a queue with a DLQ, a function."""
