"""Ingestion: loaders, cleaning, chunking, the pipeline and the `kb` CLI."""
