"""Resolve: who is who and which records are one work, decided once from the whole dataset, and
turned into IRIs in one place (mint)."""
