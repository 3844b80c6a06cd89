"""``rassegna users``: the desk's accounts from the command line.

The first account has to be made here (the desk's users page needs an admin to reach it). The
password is never an argument, which would leave it in the shell history and the process list:
it comes from ``RASSEGNA_PASSWORD`` or is asked twice on the terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from crawler.app.options import Subcommands
from crawler.errors import UsageError
from search.desk.accounts import ROLES, Accounts
from search.files.data_dir import DataDir


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    # The common options go on each action, so they can follow it as on every other command.
    users = commands.add_parser("users", help="accounts of the desk (rassegna serve)")
    actions = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser(
        "add",
        parents=[common],
        help="create an account, or change its role and password "
        "(password from RASSEGNA_PASSWORD or asked)",
    )
    create.add_argument("name", metavar="NAME")
    create.add_argument(
        "--role",
        choices=ROLES,
        required=True,
        help="reader: reads everything; editor: also decides and adds; admin: also manages users",
    )
    create.set_defaults(run=run_add)
    listing = actions.add_parser("list", parents=[common], help="the accounts and their roles")
    listing.set_defaults(run=run_list)


def _password() -> str:
    given = os.environ.get("RASSEGNA_PASSWORD")
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise UsageError("no password: set RASSEGNA_PASSWORD or run on a terminal")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise UsageError("the two passwords differ")
    return first


def run_add(args: argparse.Namespace) -> int:
    accounts = Accounts(DataDir(args.data_dir).accounts)
    try:
        created = accounts.save(args.name, args.role, _password())
    finally:
        accounts.close()
    sys.stdout.write(f"{'Created' if created else 'Updated'} {args.name.strip()} ({args.role})\n")
    return 0


def run_list(args: argparse.Namespace) -> int:
    accounts = Accounts(DataDir(args.data_dir).accounts)
    try:
        for account in accounts.all():
            sys.stdout.write(f"{account.name}\t{account.role}\n")
    finally:
        accounts.close()
    return 0
