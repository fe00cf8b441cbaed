"""Embedding backends: the bundled multilingual E5 model, remote OpenAI-compatible services and local
sentence-transformers models, all behind one small ``Embedder`` protocol."""
