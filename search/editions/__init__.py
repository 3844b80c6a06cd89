"""Editions (contract 6): numbered issues of the rassegna that the office approves and sends.

The flow, and the functions the command line (``rassegna edition``), the service and the desk
call:

1. ``freeze.new_edition`` makes a draft for a period (``check_period`` validates one);
2. ``freeze.approve_edition`` freezes it: every format rendered now, with the office's
   decisions, into ``<data-dir>/editions/<N>/``; ``freeze.frozen_file`` is the path of one;
3. ``send.send_edition`` delivers it once to each recipient (``send.edition_recipients``),
   recording every attempt in the ledger of ``store.EditionStore`` first;
4. ``schedule.edition_step`` (``rassegna run``) prepares drafts on a schedule and tells the
   editors, never sending one.

``store.open_editions(data_dir).editions()`` lists them, newest first, and ``counts(N)`` says
how their deliveries stand.
"""
