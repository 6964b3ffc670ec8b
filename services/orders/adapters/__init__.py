"""What the orders domain talks to: the store protocol and its DynamoDB implementation."""
