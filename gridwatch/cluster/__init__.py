"""Sharding cameras across worker processes on Redis: membership, rendezvous hashing, leases."""
