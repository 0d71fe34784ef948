"""gridwatch.detectors"""
