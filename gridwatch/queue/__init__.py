"""Redis Streams machinery: idempotent publishing, consumer groups, dead letters, forwarding."""
