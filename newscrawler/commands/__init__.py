"""One module per ``newscrawler`` subcommand: ``add_parser(subparsers)`` and ``run(args)``."""
