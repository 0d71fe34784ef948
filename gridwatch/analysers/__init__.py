"""Pixel analysers that need no training: they refine what the model's boxes say about a zone."""
