"""``nianbao serve``: the web application over a corpus (see :mod:`nianbao.serve`)."""

from __future__ import annotations

from typing import Optional

import typer

from ..errors import NianbaoError
from . import app
from .common import err_console


@app.command()
def serve(
    db: Optional[str] = typer.Option(None, "--db", help="数据库：文件路径或 postgresql:// 地址（默认：本机内置数据库）"),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址；非本机地址需要登录（NIANBAO_USERS 或 --users）"),
    port: int = typer.Option(8000, "--port", help="端口"),
    users: Optional[str] = typer.Option(None, "--users", help="用户文件，每行“用户名:密码”"),
) -> None:
    """启动网页核查界面 (start the web application).

    Example: nianbao serve --db reports.db --port 8000
    """
    try:
        from ..serve.app import create_app

        web = create_app(db, host=host, users_file=users)
    except NianbaoError as e:
        err_console.print(f"[red]无法启动：{e.message}[/red]")
        raise typer.Exit(1)
    except ImportError as e:
        err_console.print(f"[red]无法启动：缺少网页组件 {e.name}（pip install 'nianbao[web]'）[/red]")
        raise typer.Exit(1)
    import uvicorn

    from sqlalchemy.engine import make_url

    err_console.print(f"数据库：{make_url(web.state.store.url).render_as_string(hide_password=True)}")
    err_console.print(f"nianbao 网页界面：http://{'[' + host + ']' if ':' in host else host}:{port}/  （Ctrl+C 退出）")
    uvicorn.run(web, host=host, port=port, log_level="warning")
