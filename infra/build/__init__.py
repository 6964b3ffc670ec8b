"""A service's ``ServiceWiring`` as CDK constructs, one module per concern.

``service.ServiceBuilder`` composes them in a fixed order (construct ids and creation order
decide the templates, so a reorder shows up as a diff, never as a replaced resource).
"""
