"""Epidemiological analysis (流行病学分析) from the command line, over `fangkong.analytics`."""
