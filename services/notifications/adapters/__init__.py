"""The ledger, the mailer and the renderer: Protocols and their real implementations."""
