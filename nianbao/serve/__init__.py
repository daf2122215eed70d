"""The web application for reviewers (``nianbao serve``): FastAPI + Jinja2 + htmx, ECharts from
the package's own static files (no CDN; works on closed networks).

Start it::

    nianbao serve                         # the embedded database, http://127.0.0.1:8000/
    nianbao serve --db corpus.db --port 8080
    NIANBAO_USERS='zhang:密码,li:密码' nianbao serve --host 0.0.0.0   # a login is required

Pages (``views/``, one module each): 总览 ``/``, 年报列表 ``/reports``, 报告详情 ``/reports/{id}``,
覆盖 ``/coverage``, 比对 ``/compare``, 上传 ``/upload``, 导出 ``/export/{reports|findings}.{csv|xlsx}``
(same filters as the list), 更正 ``POST /reports/{id}/override``.

Security (``security.py``):

- Listening on a non-local address requires a login. Users come from ``$NIANBAO_USERS``
  (``name:password`` items separated by commas) and/or ``--users FILE`` (one ``name:password`` per
  line, ``#`` comments). A password may be stored hashed: ``python -c "from nianbao.serve.security
  import hash_password; print(hash_password('…'))"`` gives ``pbkdf2_sha256$…``. Without any user the
  server refuses to start on such an address.
- Sessions are signed cookies (HttpOnly, SameSite=Strict); set ``$NIANBAO_SECRET`` to keep sessions
  across restarts (otherwise a random key per process). Every POST carries the session's CSRF token.
- Uploads: at most 50 MB per file, 512 MB per request, 5000 files or 2 GB unpacked per zip; only
  report formats (HTML, PDF, DOCX, DOC/WPS, TXT, Markdown) and zip.
- Report text is untrusted: Jinja autoescape everywhere, never ``|safe`` on report content; CSV and
  Excel exports neutralise cells that a spreadsheet would run as formulas.
"""
