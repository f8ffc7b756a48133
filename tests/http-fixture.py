#!/usr/bin/env python3
"""http-fixture.py: a loopback HTTP server for the extractors' tests.

It replays recorded responses and injects faults, as a scenario file says.
Only the standard library (http.server, threading).

    http-fixture.py --root DIR --scenario FILE --port-file FILE [--log FILE]

It binds 127.0.0.1 on a free port, writes the port to --port-file once it
listens, and serves until killed.  The scenario is read again whenever its
contents change, so a test can switch scenarios between runs.  Each line:

    MATCH STATUS BODY [key=value ...]

MATCH is the request's path and query, exactly, or a prefix ending in '*'.
STATUS is the HTTP status.  BODY is a file under --root, or '-' for none.
Keys:
    type=MEDIA      Content-Type (default application/json; charset=utf-8)
    times=N         the rule answers N requests, then the next rule that
                    matches takes over (default: every request)
    retry-after=V   a Retry-After header with V
    hang=S          sleep S seconds before answering (a timeout)
    truncate=N      announce the whole length but send N bytes, then close
Lines starting with '#' and blank lines are ignored.  A request no rule
matches gets 599 with a short text, so a test sees the mistake.

--log FILE gets one line per request: "METHOD PATH?QUERY USER-AGENT".
"""
import argparse
import http.server
import os
import sys
import threading
import time

LOCK = threading.Lock()
STATE = {"text": None, "rules": [], "used": []}


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        text = ""
    if text == STATE["text"]:
        return
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        rule = {"match": parts[0], "status": int(parts[1]), "body": parts[2]}
        for kv in parts[3:]:
            k, _, v = kv.partition("=")
            rule[k] = v
        rules.append(rule)
    STATE.update(text=text, rules=rules, used=[0] * len(rules))


def pick(target):
    for i, rule in enumerate(STATE["rules"]):
        m = rule["match"]
        hit = target.startswith(m[:-1]) if m.endswith("*") else target == m
        if not hit:
            continue
        if "times" in rule and STATE["used"][i] >= int(rule["times"]):
            continue
        STATE["used"][i] += 1
        return rule
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self):
        with LOCK:
            load(self.server.scenario)
            rule = pick(self.path)
            if self.server.log:
                with open(self.server.log, "a", encoding="utf-8") as f:
                    f.write("%s %s %s\n" % (self.command, self.path,
                                            self.headers.get("User-Agent", "")))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if rule is None:
            body = b"no rule for this request\n"
            self.send_response(599)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if "hang" in rule:
            time.sleep(float(rule["hang"]))
        body = b""
        if rule["body"] != "-":
            with open(os.path.join(self.server.root, rule["body"]), "rb") as f:
                body = f.read()
        if rule["status"] in (204, 304):
            body = b""
        self.send_response(rule["status"])
        self.send_header("Content-Type", rule.get("type", "application/json; charset=utf-8")
                         .replace("+", " "))
        if "retry-after" in rule:
            self.send_header("Retry-After", rule["retry-after"])
        self.send_header("Content-Length", str(len(body)))
        if "truncate" in rule:
            self.send_header("Connection", "close")
            self.close_connection = True
            body = body[: int(rule["truncate"])]
        try:
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up first (the hang scenario): nothing to do.
            self.close_connection = True

    do_GET = do_POST = do_HEAD = answer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    a = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.root, srv.scenario, srv.log = a.root, a.scenario, a.log
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
