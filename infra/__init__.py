"""The CDK app: one stack for the bus, one per service, each built from the service's wiring."""
