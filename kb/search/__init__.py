"""From a question to ranked passages: query analysis (terms and their dictionary translations),
candidates from dense and BM25 lists, and the fitted passage model that orders them."""
