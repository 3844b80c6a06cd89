"""A loopback forward proxy that sends every host to one port: how news-please reaches simweb.

The generated outlets have made-up names (``www.gazzettaditorino000.test``) and the web picks
the outlet from the Host header, so a crawler that cannot be told where to connect reaches
it through this proxy (``http_proxy`` / ``https_proxy``). ``CONNECT host:443`` opens a raw
tunnel to the web, which sniffs TLS itself; a plain request in absolute form
(``GET http://host/path``) is relayed as is, since the web routes absolute targets too.

Standard library only, run as its own process so its CPU is not charged to the crawler it
serves:

    python tests/benchmarks/forward_proxy.py UPSTREAM_PORT   # prints the port it listens on
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys

_CHUNK = 64 * 1024
_HEADERS_LIMIT = 64 * 1024


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(_CHUNK):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(ConnectionError, OSError, RuntimeError):
            if writer.can_write_eof():
                writer.write_eof()


async def _serve_client(
    upstream_port: int, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
) -> None:
    try:
        head = await client_reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        client_writer.close()
        return
    try:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    except OSError:
        client_writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
        client_writer.close()
        return
    if head.startswith(b"CONNECT "):
        client_writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
    else:
        up_writer.write(head)
    await asyncio.gather(
        _pump(client_reader, up_writer),
        _pump(up_reader, client_writer),
    )
    for writer in (client_writer, up_writer):
        writer.close()


async def _main(upstream_port: int) -> None:
    server = await asyncio.start_server(
        lambda r, w: _serve_client(upstream_port, r, w),
        "127.0.0.1",
        0,
        limit=_HEADERS_LIMIT,
        backlog=1024,
    )
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(_main(int(sys.argv[1])))
