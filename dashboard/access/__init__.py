"""Who may see what: settings, sign-in, the viewer's scope, the audit log and the read-only
connection to the case database."""
