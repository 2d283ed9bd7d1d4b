#!/usr/bin/env python3
"""latency-proxy.py <listen-port> <target-port> <delay-ms>: a TCP proxy on 127.0.0.1 that holds each
chunk a client sends for <delay-ms> before passing it on, so every request to the target takes that
much longer, as a registry some distance away does. Answers pass through at once."""
import asyncio
import sys

LISTEN, TARGET, DELAY = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) / 1000.0


async def pipe(reader, writer, delay):
    try:
        while data := await reader.read(65536):
            if delay:
                await asyncio.sleep(delay)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def handle(client_reader, client_writer):
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", TARGET)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pipe(client_reader, server_writer, DELAY), pipe(server_reader, client_writer, 0))


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", LISTEN, backlog=1024)
    async with server:
        await server.serve_forever()


asyncio.run(main())
