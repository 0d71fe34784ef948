"""gridwatch.alerts"""
