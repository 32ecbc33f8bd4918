"""Canned Elasticsearch 9 responses (the *.json files) and the loopback server that serves
them (`server.py`), for testing the Elasticsearch backend without a cluster."""
