"""Every email of the portal takes one path (issue #16).

compose   renders an email in its recipient's language and time zone, builds Django's
          EmailMultiAlternatives (mime's PortalEmail: the same bytes, written for less
          CPU);
outbox    stores rendered emails (OutboundEmail) with whatever caused them;
delivery  the one loop that claims rows (the outbox's, or the reminder ledger's), sends
          them over one reused connection at most EMAIL_MAX_PER_SECOND (ratelimit), and
          stamps each row's result;
tasks     the Celery tasks that run the outbox's deliveries.

Only Django's public mail API is used (get_connection, EmailMultiAlternatives,
send_messages); tests/alliance/test_mail_path.py keeps it so.
"""
