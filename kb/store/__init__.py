"""The library as stored: Chroma (the single source of truth), the document registry and identity,
and what is derived from it and rebuilt when it changes (the lexical index, the exact vector index,
the library view a question reads).

No other package of ``kb`` talks to Chroma: they read through ``ChunkStore`` and ``LibraryView``.
"""
