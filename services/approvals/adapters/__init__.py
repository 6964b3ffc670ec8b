"""The approvals service's doors to AWS, and the Protocols domain code sees them through."""
