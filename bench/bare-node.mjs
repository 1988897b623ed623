// This runtime's ceiling for the benchmark: node:http, parse the JSON, answer 202. No validation,
// no storage, no logging.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 8090);
createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(422).end();
      return;
    }
    const body = JSON.stringify({ ack: true, trace_id: randomUUID(), duplicate: false });
    res
      .writeHead(202, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
      .end(body);
  });
}).listen(port, "127.0.0.1");
