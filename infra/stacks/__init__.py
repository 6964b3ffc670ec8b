"""The app's stacks: ``ShopBus`` and one ``Shop<Service>`` stack per service."""
