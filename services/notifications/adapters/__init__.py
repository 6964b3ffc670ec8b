"""The ledger, the mailer and the renderer: real implementations of the domain's ports."""
