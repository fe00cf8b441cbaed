"""The `kb` command line: the outermost layer (kb <- ingest <- ui <- kbcli), with evaluation
(`kb eval`) and its baselines, which need both the core and the loaders."""
