"""Use cases that tie the pure core to the store. Services never commit."""
