"""`python -m sandbox serve|manifest|run`: the sandbox as a process (the crawler's CLI starts it
so), or around any command: `python -m sandbox run --revision 1 -- govreports crawl zc_gov_cn`
serves the sandbox, runs the command with the proxy variables pointing at it, and stops."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

from sandbox.corpus import DEFAULT_SEED
from sandbox.runner import Sandbox, manifest


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the proxy until SIGTERM/SIGINT")
    serve.add_argument("--port", type=_port, default=0, help="0 = pick a free port")
    serve.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="PORTAL:KIND",
        help="inject a fault, e.g. zc_gov_cn:list500 (repeatable)",
    )
    serve.add_argument("-v", "--verbose", action="store_true", help="log requests to stderr")
    around = commands.add_parser("run", help="serve while COMMAND runs through the proxy")
    around.add_argument("--fault", action="append", default=[], metavar="PORTAL:KIND")
    around.add_argument("argv", nargs=argparse.REMAINDER, metavar="-- COMMAND ...")
    truth = commands.add_parser("manifest", help="write the ground-truth manifest as JSON")
    truth.add_argument("--out", type=Path, help="file to write (default: stdout)")
    rows = commands.add_parser(
        "registry", help="write the registry rows (TOML) of the generated portals (--portals N)"
    )
    rows.add_argument("--out", type=Path, help="file to write (default: stdout)")
    for sub in (serve, truth, around, rows):
        sub.add_argument("--revision", type=int, default=0, choices=(0, 1))
        sub.add_argument("--scale", type=_positive, default=1)
        sub.add_argument("--seed", type=int, default=DEFAULT_SEED)
        sub.add_argument(
            "--variant",
            type=_natural,
            default=0,
            help="which world of the distribution: 0 = reference layout (default)",
        )
        sub.add_argument(
            "--portals",
            type=_portal_count,
            default=0,
            help="N generated portals across the CMS families, beside the real ones",
        )
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be >= 1")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be 0-65535")
    return value


def _portal_count(text: str) -> int:
    from sandbox.sites.generated import MAX_PORTALS

    value = int(text)
    if not 0 <= value <= MAX_PORTALS:
        raise argparse.ArgumentTypeError(f"must be 0..{MAX_PORTALS}")
    return value


def _natural(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "manifest":
        return _write_manifest(args)
    if args.command == "run":
        return _run_around(args)
    if args.command == "registry":
        return _write_registry(args)
    return _serve(args)


def _run_around(args: argparse.Namespace) -> int:
    """Serve in a child process, run the command with http(s)_proxy set, stop; the command's
    exit status."""
    command = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    if not command:
        print("sandbox: run needs a command after --", file=sys.stderr)
        return 2
    serve = [sys.executable, "-m", "sandbox", "serve", "--port", "0"]
    serve += ["--revision", str(args.revision), "--scale", str(args.scale)]
    serve += ["--seed", str(args.seed), "--variant", str(args.variant)]
    serve += [arg for fault in args.fault for arg in ("--fault", fault)]
    root = Path(__file__).resolve().parent.parent  # `-m sandbox` from a checkout, too
    with subprocess.Popen(serve, stdout=subprocess.PIPE, text=True, cwd=root) as server:
        try:
            line = server.stdout.readline() if server.stdout else ""
            if not line.startswith("SANDBOX READY "):
                print(f"sandbox: did not start (said {line!r})", file=sys.stderr)
                return 1
            proxy = line.split()[-1]
            env = {**os.environ, "http_proxy": proxy, "https_proxy": proxy, "no_proxy": ""}
            return subprocess.call(command, env=env)
        finally:
            server.terminate()


def _write_manifest(args: argparse.Namespace) -> int:
    data = manifest(args.revision, args.scale, args.seed, args.variant, args.portals)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


def _write_registry(args: argparse.Namespace) -> int:
    from sandbox.sites.base import World
    from sandbox.sites.generated import registry_rows, rows_toml

    world = World(seed=args.seed, variant=args.variant, portals=args.portals)
    text = rows_toml(registry_rows(world))
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _serve(args: argparse.Namespace) -> int:
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(message)s",
    )
    try:
        sandbox = Sandbox(
            args.revision, args.scale, args.fault, args.seed, args.port, args.variant, args.portals
        )
    except ValueError as exc:  # a malformed --fault
        print(f"sandbox: {exc}", file=sys.stderr)
        return 2
    return asyncio.run(_serve_until_signal(sandbox))


async def _serve_until_signal(sandbox: Sandbox) -> int:
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, ctx: logging.debug("loop: %s", ctx.get("message")))
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    server = sandbox.make_server()
    await server.start()
    print(f"SANDBOX READY http://127.0.0.1:{server.port}", flush=True)
    await stop.wait()
    await server.close()
    return 0
