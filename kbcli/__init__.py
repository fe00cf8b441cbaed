"""The `kb` command line: the outermost layer (kb <- ingest <- evals <- web <- ui <- kbcli); see
``kbcli.main`` for how its modules divide the commands."""
