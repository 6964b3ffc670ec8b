"""What the orders domain talks to: the DynamoDB implementation of its store port."""
