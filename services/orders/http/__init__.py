"""How the orders API speaks HTTP: its error responses and the OpenAPI documents of them."""
