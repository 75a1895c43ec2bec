"""`gongkai serve`: the production web server (gunicorn) in the foreground.

    gongkai serve --bind 127.0.0.1:8000 [--workers N] [--threads N] [--timeout S]

- Production settings (`gongkai.settings.production`) unless DJANGO_SETTINGS_MODULE says otherwise.
- Before the workers start, a separate Python process checks the settings and the database (refuses to start on a
  database that is not migrated) and collects the static files when they are missing or out of date (hashed
  and compressed, served by WhiteNoise). The server's own master process never imports Django, so that
- `kill -HUP <master>` is a graceful restart that loads new code (after an upgrade): new workers start, the old
  ones finish their requests. SIGTERM/SIGINT stop gracefully (requests in flight finish, at most
  --graceful-timeout seconds); `kill -USR2` starts a new master beside the old one (zero-downtime binary upgrade).
- Access and error logs go to standard output, one line per request.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

DEFAULT_SETTINGS = "gongkai.settings.production"


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 9)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="gongkai serve",
        description="运行生产环境Web服务器（gunicorn，前台运行） / run the production web server",
    )
    parser.add_argument(
        "--bind", default="127.0.0.1:8000", help="监听地址 HOST:PORT 或 unix:PATH（默认 127.0.0.1:8000）"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help=f"工作进程数（默认 2×CPU+1，最多9，本机为 {default_workers()}）",
    )
    parser.add_argument("--threads", type=int, default=4, help="每个工作进程的线程数（默认 4）")
    parser.add_argument("--timeout", type=int, default=30, help="单个请求的最长处理秒数（默认 30）")
    parser.add_argument(
        "--graceful-timeout", type=int, default=30, help="停止或重启时等待请求完成的秒数（默认 30）"
    )
    parser.add_argument(
        "--max-requests", type=int, default=0, help="工作进程处理多少请求后自动更换（默认 0 = 不更换）"
    )
    parser.add_argument("--no-prepare", action="store_true", help="跳过启动前检查和静态文件收集")
    args = parser.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        parser.error("--workers 至少为 1")
    return args


def prepare() -> None:
    """Runs in a separate process before the server starts (and on every graceful restart)."""
    result = subprocess.run([sys.executable, "-m", "gongkai.server", "--prepare-only"], check=False)
    if result.returncode != 0:
        raise SystemExit(result.returncode)


def _prepare_in_this_process() -> int:
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        print(f"无法启动：{exc}", file=sys.stderr)
        return 2
    from gongkai.core.staticprep import collect_static_if_needed, database_problem

    problem = database_problem()
    if problem:
        print(f"无法启动：{problem}", file=sys.stderr)
        return 3
    message = collect_static_if_needed()
    if message:
        print(message, flush=True)
    return 0


def run(args: argparse.Namespace) -> None:
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": [args.bind],
        "workers": args.workers or default_workers(),
        "worker_class": "gthread",
        "threads": args.threads,
        "timeout": args.timeout,
        "graceful_timeout": args.graceful_timeout,
        "keepalive": 5,
        "max_requests": args.max_requests,
        "max_requests_jitter": args.max_requests // 10 if args.max_requests else 0,
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"',
        # Logs to standard output (the journal, a container's log): gunicorn's error log defaults to stderr.
        "logconfig_dict": {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "line": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"},
            },
            "handlers": {
                "stdout": {
                    "class": "logging.StreamHandler",
                    "stream": "ext://sys.stdout",
                    "formatter": "line",
                },
            },
            "root": {"handlers": ["stdout"], "level": "INFO"},
            "loggers": {
                "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
                "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            },
        },
        # The proxy in front (nginx, Caddy) is trusted for X-Forwarded-* from these addresses; Django decides
        # what to believe (SECURE_PROXY_SSL_HEADER / the trusted-proxy middleware).
        "forwarded_allow_ips": os.environ.get("GONGKAI_TRUSTED_PROXIES", "127.0.0.1,::1"),
        "proc_name": "gongkai",
        # No control socket in the home directory: several servers on one machine would share its path.
        "control_socket_disable": True,
        "on_reload": lambda arbiter: None if args.no_prepare else prepare(),
    }

    class GongkaiServer(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from gongkai.wsgi import application

            return application

    GongkaiServer().run()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--prepare-only"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
        raise SystemExit(_prepare_in_this_process())
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    if not args.no_prepare:
        prepare()
    run(args)


if __name__ == "__main__":
    main()
