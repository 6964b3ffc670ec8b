"""The owner's shipment approval: signed links, a decision page, first decision wins."""
