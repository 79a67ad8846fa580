"""``rasoat forms …``: list the survey forms and check answers against them."""

import typer

app = typer.Typer(help="Survey forms: list, check answers.", no_args_is_help=True)
