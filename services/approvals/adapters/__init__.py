"""The approvals service's doors to AWS: implementations of the domain's ports."""
