"""The national collection hub: councils submit returns, analysts check, query and accept them."""
