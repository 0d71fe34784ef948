"""gridwatch.api"""
