"""Entry point of the ``rasoat`` command: one Typer app, one module per command group."""

import typer

from server.cli import admin, forms, imports, jobs, merges, report, serve, standards
from server.cli.classify import classify_command
from server.cli.tablet import tablet_command

app = typer.Typer(
    help="Rà Soát: household poverty review under Vietnam's multidimensional standard.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("classify")(classify_command)
app.add_typer(standards.app, name="standards")
app.command("serve")(serve.serve_command)
app.add_typer(forms.app, name="forms")
app.add_typer(admin.app, name="admin")
admin.app.command("import-households")(imports.import_households_command)
admin.app.command("households-template")(imports.households_template_command)
admin.app.command("merge-hamlets")(merges.merge_hamlets_command)
app.command("tablet")(tablet_command)
app.add_typer(report.app, name="report")
app.add_typer(jobs.app, name="jobs")
app.command("worker")(jobs.worker_command)
