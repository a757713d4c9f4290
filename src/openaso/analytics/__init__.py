"""Decision-support analytics on NumPy arrays: lag triangles, IBNR, experience, rates, simulation.

Outside the core on purpose: the core is standard library only. Arrays of floats hold statistics;
every money figure these modules report is rounded to integer cents by `cents()` (half up).
"""
