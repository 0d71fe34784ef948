"""gridwatch.sim"""
