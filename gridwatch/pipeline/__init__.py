"""gridwatch.pipeline"""
