"""boto3-backed implementations of the domain's ports."""
