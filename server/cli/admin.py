"""``rasoat admin …``: communes, users, boundaries, the demo commune and the audit chain."""

import typer

app = typer.Typer(help="Administration of the server's database.", no_args_is_help=True)
