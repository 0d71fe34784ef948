"""gridwatch.training"""
