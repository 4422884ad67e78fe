"""A tiny outgoing-webhook receiver for trying the service locally: prints every reply it is sent.

    python scripts/webhook_receiver.py [--port 9000]      # then TRIAGE_WEBHOOK_URL=http://127.0.0.1:9000/
"""

from __future__ import annotations

import argparse
import json
from http.server import BaseHTTPRequestHandler, HTTPServer


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        print("webhook received:", json.dumps(json.loads(body), ensure_ascii=False, indent=2), flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=9000)
    args = parser.parse_args()
    print(f"listening on http://127.0.0.1:{args.port}/", flush=True)
    HTTPServer(("127.0.0.1", args.port), Receiver).serve_forever()


if __name__ == "__main__":
    main()
