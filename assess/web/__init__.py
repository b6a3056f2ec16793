"""The web face of assess: exporters fill the questionnaire in a browser, consultants follow a cohort.

A face over the library API (validation, scoring, reports, batch outputs), as the CLI is; nothing in
the library imports this package.  One job per module: `settings`, `schema` and `storage` (the
database), `security` (password hashes, signed sessions, CSRF tokens), `middleware` (body limits,
security headers), `answering` (form values to stored answers, progress, applicability),
`submission` (validate -> score -> report; cohort outputs), `views` and `rendering` (page models and
templates), `exporter` and `consultant` (routes), `app` (the app factory and `serve`).
"""
