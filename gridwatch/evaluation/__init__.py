"""`gridwatch eval`: score the real replay pipeline on a suite of clips with ground truth."""
