"""Pieces every service uses: wiring declarations, settings, the SQS event consumer."""
