"""The shop's event contract at run time: envelope, one model per event, publisher.

The committed schemas (schemas/*.json) and examples (examples/*.json) are data beside it;
the tooling that writes and checks them is tools/contract.
"""
