"""Epidemic analytics (疫情研判): pure NumPy/SciPy functions, no Django import.

Rt (Cori et al. 2013, as in R's EpiEstim), Wallinga–Teunis, doubling time, renewal
forecast and the county risk ratings (R15, R16). Inputs and outputs are plain arrays and
values so the briefing, the command line and the tests share one implementation.
"""
