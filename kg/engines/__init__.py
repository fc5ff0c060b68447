"""Engines: the whole export run end to end, on this machine (local) or on a Dask cluster."""

ENGINES = ("local", "dask")  # kg.engines.local, kg.engines.dask
