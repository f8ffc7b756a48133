#!/usr/bin/python3
"""ws-client.py: clients of nc-serve's live streams, for tests/t1270-serve-ws.sh
and bench/serve-stream.

  ws-client.py listen PORT N [MESSAGE] [--fragment]
      python3-websockets: read the hello, send MESSAGE (default
      {"type":"subscribe"}; --fragment: in 3 continuation frames), print the
      answer, touch ./ready, then print N event messages, one a line; then
      close with 1000 and print "closed CODE" (the code the server echoed).
  ws-client.py proto PORT
      python3-websockets as a browser's page: no Authorization, the token
      (if any) as the subprotocol nc.bearer.TOKEN beside nc.v1; prints
      "subprotocol NAME", the hello and the answer to a subscribe, or
      "status N" if the handshake is refused.
  ws-client.py raw PORT CASE
      a hand-made socket for what a library will not send: prints the close
      frame's code and reason the server sent ("close 1002 ...") or "eof";
      "stuck" and "ping-flood" are clients that do not read ("ping-flood"
      prints "dropped" or "open", see ping_flood).
  ws-client.py many PORT -w WS -s SSE -n N [-l LOADS] [-t SECONDS]
      WS WebSocket and SSE Server-Sent-Events clients at once (asyncio, one
      process): each subscribes to everything, ./ready when all are in, then
      each waits for N alerts.  Prints one JSON summary: clients, alerts
      received per client (min, max), lost, duplicated, and with LOADS (lines
      "alert_id<TAB>epoch seconds the load started") latency p50 and p99.
  ws-client.py swarm PORT -w WS -s SSE -n N -l LOADS -L LATFILE [-r READY] [-t SECONDS]
      as many, on bare asyncio protocols (no library, a regular expression
      for the alert_id) so that one process keeps up with more clients:
      for bench/serve-stream, which runs several.  The summary has no
      percentiles; each delivery's latency in ms goes to LATFILE.
The token, if any, is in $WS_TOKEN (never on the command line).
"""
import asyncio
import base64
import json
import os
import re
import socket
import struct
import sys
import time

import websockets


def headers():
    tok = os.environ.get("WS_TOKEN")
    return {"Authorization": "Bearer " + tok} if tok else {}


def touch(path):
    open(path, "w").close()


async def listen(port, n, message, fragment):
    async with websockets.connect("ws://127.0.0.1:%d/ws" % port,
                                  extra_headers=headers(), max_size=None) as ws:
        print(await ws.recv(), flush=True)
        if fragment:
            third = len(message) // 3
            await ws.send([message[:third], message[third:2 * third], message[2 * third:]])
        else:
            await ws.send(message)
        print(await ws.recv(), flush=True)
        touch("ready")
        for _ in range(n):
            print(await asyncio.wait_for(ws.recv(), 20), flush=True)
        pong = await ws.ping(b"nc-test")
        await asyncio.wait_for(pong, 5)
        print("pong", flush=True)
        await ws.close(1000, "done")
        print("closed %s" % ws.close_code, flush=True)


async def proto(port):
    tok = os.environ.get("WS_TOKEN")
    offer = ["nc.v1"] + (["nc.bearer." + tok] if tok else [])
    try:
        async with websockets.connect("ws://127.0.0.1:%d/ws" % port,
                                      subprotocols=offer) as ws:
            print("subprotocol %s" % ws.subprotocol, flush=True)
            print(await ws.recv(), flush=True)
            await ws.send('{"type":"subscribe"}')
            print(await ws.recv(), flush=True)
    except websockets.exceptions.InvalidStatusCode as e:
        print("status %d" % e.status_code)


def frame(op, payload, fin=True, mask=True, rsv=0, length=None):
    b0 = (0x80 if fin else 0) | rsv | op
    n = len(payload) if length is None else length
    if n < 126:
        h = struct.pack("!BB", b0, (0x80 if mask else 0) | n)
    elif n < 65536:
        h = struct.pack("!BBH", b0, (0x80 if mask else 0) | 126, n)
    else:
        h = struct.pack("!BBQ", b0, (0x80 if mask else 0) | 127, n)
    if not mask:
        return h + payload
    key = os.urandom(4)
    return h + key + bytes(c ^ key[i % 4] for i, c in enumerate(payload))


CASES = {
    "unmasked": [frame(1, b'{"type":"subscribe"}', mask=False)],
    "utf8": [frame(1, b'{"type":"\xff\xfe"}')],
    "utf8-fragments": [frame(1, b'{"a":"\xc3', fin=False), frame(0, b'(x"}')],
    "oversize": [frame(1, b"x" * 20000)],
    "oversize-fragments": [frame(1, b"x" * 10000, fin=False), frame(0, b"x" * 10000)],
    "binary": [frame(2, b"\x00\x01")],
    "opcode": [frame(3, b"")],
    "reserved": [frame(1, b"{}", rsv=0x40)],
    "continuation": [frame(0, b"{}")],
    "interleaved": [frame(1, b"{", fin=False), frame(1, b"{}")],
    "control-fragmented": [frame(9, b"x", fin=False)],
    "control-long": [frame(9, b"x" * 126)],
    "close-1-byte": [frame(8, b"\x03")],
    "close-bad-code": [frame(8, struct.pack("!H", 1005))],
    "close-reason-utf8": [frame(8, struct.pack("!H", 1000) + b"\xff")],
    "close-4000": [frame(8, struct.pack("!H", 4000) + b"bye")],
    "close-empty": [frame(8, b"")],
    # a ping between the fragments of a message: answered, the message whole
    "ping-in-fragments": [frame(1, b'{"type":', fin=False), frame(9, b"p1"),
                          frame(0, b'"subscribe"}'), frame(8, struct.pack("!H", 1000))],
    "bad-json": [frame(1, b"not json"), frame(8, struct.pack("!H", 1000))],
}


def raw(port, case):
    s = socket.socket()
    # Receive buffers of clients that do not read are fixed before the
    # connection (not autotuned, not shrunk under an open window).
    if case == "stuck":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    elif case == "ping-flood":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    req = ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
           % (port, key))
    for k, v in headers().items():
        req += "%s: %s\r\n" % (k, v)
    s.sendall((req + "\r\n").encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = s.recv(4096)
        if not d:
            print("eof in the handshake")
            return
        buf += d
    head, buf = buf.split(b"\r\n\r\n", 1)
    if not head.startswith(b"HTTP/1.1 101"):
        print(head.split(b"\r\n")[0].decode())
        return
    if case == "stuck":
        stuck(s, buf)
        return
    if case == "ping-flood":
        ping_flood(s)
        return
    for f in CASES[case]:
        try:
            s.sendall(f)
        except OSError:
            break
    buf = [buf]

    def take(n):
        while len(buf[0]) < n:
            d = s.recv(65536)
            if not d:
                raise EOFError
            buf[0] += d
        out, buf[0] = buf[0][:n], buf[0][n:]
        return out

    try:
        while True:
            b0, b1 = take(2)
            op, n = b0 & 0x0f, b1 & 0x7f
            if n == 126:
                n = struct.unpack("!H", take(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", take(8))[0]
            payload = take(n)
            if op == 1:
                print("text " + payload.decode())
            elif op == 10:
                print("pong " + payload.decode())
            elif op == 8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                print("close %d %s" % (code, payload[2:].decode()))
                break
    except EOFError:
        print("eof")
        return
    # The server ends the connection after its close frame.
    s.settimeout(5)
    try:
        while True:
            d = s.recv(65536)
            if not d:
                print("eof")
                return
    except OSError as e:
        print("no eof: %s" % e)


def ping_flood(s):
    """Pings in bursts of 512, their pongs never read, until a send fails:
    "dropped" (nc-serve reset the connection), or "open" if a send waited
    10 s (nc-serve stopped reading without dropping) or 64 MB went out.
    nc-serve owes at most 256 KiB of pongs before it drops, its kernel send
    buffer is fixed and so is this client's receive buffer: a few MB of
    pings are enough, whatever the machine."""
    burst = frame(9, b"x" * 125) * 512
    try:
        for _ in range((64 << 20) // len(burst)):
            s.sendall(burst)
    except socket.timeout:
        print("open")
        return
    except OSError:
        print("dropped")
        return
    print("open")


def stuck(s, buf):
    """Subscribe, then read nothing until ./stuck.go; then count."""
    s.sendall(frame(1, b'{"type":"subscribe"}'))
    touch("stuck.ready")
    while not os.path.exists("stuck.go"):
        time.sleep(0.05)
    s.settimeout(3)
    data = buf
    try:
        while True:
            d = s.recv(1 << 20)
            if not d:
                end = "eof"
                break
            data += d
    except socket.timeout:
        end = "open"
    except OSError as e:
        end = "reset" if "reset" in str(e) else str(e)
    alerts, close = 0, None
    i = 0
    while i + 2 <= len(data):
        op, n, hl = data[i] & 0x0f, data[i + 1] & 0x7f, 2
        if n == 126:
            n, hl = struct.unpack("!H", data[i + 2:i + 4])[0], 4
        elif n == 127:
            n, hl = struct.unpack("!Q", data[i + 2:i + 10])[0], 10
        if i + hl + n > len(data):
            break
        p = data[i + hl:i + hl + n]
        if op == 1 and p.startswith(b'{"type":"alert"'):
            alerts += 1
        elif op == 8:
            close = struct.unpack("!H", p[:2])[0]
        i += hl + n
    print("alerts %d close %s end %s" % (alerts, close, end))


async def ws_client(port, want, got, t_recv, ready):
    async with websockets.connect("ws://127.0.0.1:%d/ws" % port, extra_headers=headers(),
                                  max_size=None, open_timeout=60, ping_interval=None) as ws:
        await ws.recv()
        await ws.send('{"type":"subscribe"}')
        await ws.recv()
        ready()
        # Then 1 s more: a duplicate would come in it.
        while True:
            try:
                m = json.loads(await asyncio.wait_for(ws.recv(), 1 if len(got) >= want else 600))
            except asyncio.TimeoutError:
                break
            if m["type"] == "alert":
                got.append(m["data"]["alert_id"])
                t_recv.append(time.time())


async def sse_client(port, want, got, t_recv, ready):
    r, w = await asyncio.open_connection("127.0.0.1", port)
    # HTTP/1.0: no chunked encoding, the stream is the body as sent.
    req = "GET /api/v1/alerts/stream HTTP/1.0\r\nHost: x\r\n"
    for k, v in headers().items():
        req += "%s: %s\r\n" % (k, v)
    w.write((req + "\r\n").encode())
    await w.drain()
    ready()
    event = None
    while True:
        try:
            line = await asyncio.wait_for(r.readline(), 1 if len(got) >= want else 600)
        except asyncio.TimeoutError:
            break
        if not line:
            break
        line = line.decode().rstrip("\r\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event == "alert":
            got.append(json.loads(line[6:])["alert_id"])
            t_recv.append(time.time())
        elif line == "":
            event = None
    w.close()


async def many(port, nws, nsse, want, loads, secs):
    clients = []
    n_ready = [0]

    def ready():
        n_ready[0] += 1
        if n_ready[0] == nws + nsse:
            touch("ready")

    tasks = []
    for i in range(nws + nsse):
        got, t_recv = [], []
        clients.append((got, t_recv))
        fn = ws_client if i < nws else sse_client
        tasks.append(asyncio.ensure_future(fn(port, want, got, t_recv, ready)))
        if i % 50 == 49:
            await asyncio.sleep(0.05)
    done, pending = await asyncio.wait(tasks, timeout=secs)
    for t in pending:
        t.cancel()
    errors = sum(1 for t in done if t.exception() is not None)
    t_load = {}
    if loads:
        for line in open(loads):
            k, v = line.rstrip("\n").split("\t")
            t_load[k] = float(v)
    counts, lost, dup, lat = [], 0, 0, []
    expected = set(t_load) if t_load else None
    for got, t_recv in clients:
        counts.append(len(got))
        dup += len(got) - len(set(got))
        if expected is not None:
            lost += len(expected - set(got))
        else:
            lost += max(0, want - len(set(got)))
        for a, t in zip(got, t_recv):
            if a in t_load:
                lat.append(t - t_load[a])
    lat.sort()

    def pct(p):
        return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 1) if lat else None

    print(json.dumps({"clients": len(clients), "ws": nws, "sse": nsse,
                      "min": min(counts), "max": max(counts), "lost": lost,
                      "duplicated": dup, "errors": errors, "unfinished": len(pending),
                      "p50_ms": pct(0.5), "p99_ms": pct(0.99)}))


ALERT_ID = re.compile(rb'"alert_id":"((?:[^"\\]|\\.)*)"')


class Swarm(asyncio.Protocol):
    """One stream client: WebSocket (kind "ws") or SSE; alert ids and times."""

    def __init__(self, kind, port, want, on_ready, on_done):
        self.kind, self.port, self.want = kind, port, want
        self.on_ready, self.on_done = on_ready, on_done
        self.buf = b""
        self.head = True
        self.got, self.t = [], []
        self.subscribed = False
        self.finished = False

    def connection_made(self, tr):
        self.tr = tr
        auth = "".join("%s: %s\r\n" % kv for kv in headers().items())
        if self.kind == "ws":
            key = base64.b64encode(os.urandom(16)).decode()
            tr.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                      "Sec-WebSocket-Version: 13\r\n%s\r\n" % (self.port, key, auth)).encode())
        else:
            tr.write(("GET /api/v1/alerts/stream HTTP/1.0\r\nHost: x\r\n%s\r\n" % auth).encode())

    def alert(self, payload, now):
        m = ALERT_ID.search(payload)
        if m:
            self.got.append(m.group(1).decode())
            self.t.append(now)
            if len(self.got) == self.want and not self.finished:
                self.finished = True
                self.on_done()

    def data_received(self, data):
        now = time.time()
        self.buf += data
        if self.head:
            i = self.buf.find(b"\r\n\r\n")
            if i < 0:
                return
            self.buf = self.buf[i + 4:]
            self.head = False
            if self.kind == "ws":
                self.tr.write(frame(1, b'{"type":"subscribe"}'))
            else:
                self.on_ready()
        if self.kind == "sse":
            *events, self.buf = self.buf.split(b"\n\n")
            for e in events:
                if b"\nevent: alert\n" in e or e.startswith(b"event: alert\n"):
                    self.alert(e, now)
            return
        b = self.buf
        i = 0
        while len(b) - i >= 2:
            op, n, hl = b[i] & 0x0f, b[i + 1] & 0x7f, 2
            if n == 126:
                if len(b) - i < 4:
                    break
                n, hl = struct.unpack("!H", b[i + 2:i + 4])[0], 4
            elif n == 127:
                if len(b) - i < 10:
                    break
                n, hl = struct.unpack("!Q", b[i + 2:i + 10])[0], 10
            if len(b) - i < hl + n:
                break
            p = b[i + hl:i + hl + n]
            i += hl + n
            if op == 1:
                if p.startswith(b'{"type":"alert"'):
                    self.alert(p, now)
                elif p.startswith(b'{"type":"subscribed"') and not self.subscribed:
                    self.subscribed = True
                    self.on_ready()
            elif op == 9:
                self.tr.write(frame(10, p))
        self.buf = b[i:]


async def swarm(port, nws, nsse, want, loads, latfile, readyfile, secs):
    loop = asyncio.get_running_loop()
    n = nws + nsse
    state = {"ready": 0, "done": 0}
    all_done = loop.create_future()

    def on_ready():
        state["ready"] += 1
        if state["ready"] == n:
            touch(readyfile)

    def on_done():
        state["done"] += 1
        if state["done"] == n and not all_done.done():
            all_done.set_result(True)

    clients = []
    errors = 0
    for i in range(n):
        kind = "ws" if i < nws else "sse"
        try:
            _, c = await loop.create_connection(
                lambda: Swarm(kind, port, want, on_ready, on_done), "127.0.0.1", port)
            clients.append(c)
        except OSError:
            errors += 1
    try:
        await asyncio.wait_for(all_done, secs)
    except asyncio.TimeoutError:
        pass
    await asyncio.sleep(1)     # a duplicate would come in it
    t_load = {}
    for line in open(loads):
        k, v = line.rstrip("\n").split("\t")
        t_load[k] = float(v)
    expected = set(t_load)
    counts, lost, dup = [], 0, 0
    with open(latfile, "w") as f:
        for c in clients:
            counts.append(len(c.got))
            dup += len(c.got) - len(set(c.got))
            lost += len(expected - set(c.got))
            for a, t in zip(c.got, c.t):
                if a in t_load:
                    f.write("%.1f\n" % ((t - t_load[a]) * 1000))
    for c in clients:
        c.tr.close()
    print(json.dumps({"clients": n, "ws": nws, "sse": nsse, "connected": len(clients),
                      "min": min(counts) if counts else 0, "max": max(counts) if counts else 0,
                      "lost": lost + errors * len(expected), "duplicated": dup,
                      "errors": errors}))


def main():
    a = sys.argv[1:]
    if a[0] == "listen":
        frag = "--fragment" in a
        a = [x for x in a if x != "--fragment"]
        msg = a[3] if len(a) > 3 else '{"type":"subscribe"}'
        asyncio.run(listen(int(a[1]), int(a[2]), msg, frag))
    elif a[0] == "proto":
        asyncio.run(proto(int(a[1])))
    elif a[0] == "raw":
        raw(int(a[1]), a[2])
    elif a[0] == "many":
        port, opts = int(a[1]), dict(zip(a[2::2], a[3::2]))
        asyncio.run(many(port, int(opts.get("-w", 0)), int(opts.get("-s", 0)),
                         int(opts["-n"]), opts.get("-l"), float(opts.get("-t", 60))))
    elif a[0] == "swarm":
        port, opts = int(a[1]), dict(zip(a[2::2], a[3::2]))
        asyncio.run(swarm(port, int(opts.get("-w", 0)), int(opts.get("-s", 0)),
                          int(opts["-n"]), opts["-l"], opts["-L"], opts.get("-r", "ready"),
                          float(opts.get("-t", 300))))
    else:
        sys.exit("usage: see the top of " + sys.argv[0])


if __name__ == "__main__":
    main()
