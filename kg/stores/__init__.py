"""Stores: persistent local Oxigraph stores, triple stores over HTTP, loading, and serving."""
