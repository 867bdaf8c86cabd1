// The benchmark's peer: a minimal comment server written with the npm `ws` package.
// POST /comments stores a comment in SQLite (WAL, synchronous=FULL: durable once
// answered), answers 201 with its id, then broadcasts it to every subscribed websocket.
// GET /comments lists the stored ids. It speaks the subset of Samråd's protocol the
// benchmark uses: {"type":"subscribe"} → {"type":"subscribed"}, then events.
//
//     node server.js PORT DATABASE_FILE
"use strict";
const http = require("node:http");
const crypto = require("node:crypto");
const { WebSocketServer } = require("ws");
const Database = require("better-sqlite3");

const port = Number(process.argv[2] || 18600);
const db = new Database(process.argv[3] || "peer.sqlite");
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
db.exec(
  "CREATE TABLE IF NOT EXISTS comment (id TEXT PRIMARY KEY, section_id TEXT NOT NULL, author_name TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL)",
);
const insert = db.prepare("INSERT INTO comment VALUES (?, ?, ?, ?, ?)");
const ids = db.prepare("SELECT id FROM comment");
const subscribers = new Set();

function answer(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/comments") {
    return answer(res, 200, ids.all().map((row) => ({ id: row.id })));
  }
  if (req.method !== "POST" || req.url !== "/comments") return answer(res, 404, { error: "not_found" });
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    let input;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString());
    } catch {
      return answer(res, 400, { error: "invalid_json" });
    }
    if (typeof input.body !== "string" || typeof input.section_id !== "string") {
      return answer(res, 422, { error: "invalid" });
    }
    const comment = {
      comment_id: crypto.randomUUID(),
      section_id: input.section_id,
      author_name: String(input.author_name || ""),
      body: input.body,
      created_at: new Date().toISOString(),
    };
    insert.run(comment.comment_id, comment.section_id, comment.author_name, comment.body, comment.created_at);
    answer(res, 201, { id: comment.comment_id });
    const frame = JSON.stringify({ type: "event", event: { type: "comment_posted", data: comment } });
    for (const ws of subscribers) ws.send(frame);
  });
});

const wss = new WebSocketServer({ server, path: "/ws" });
wss.on("connection", (ws) => {
  ws.on("message", (data) => {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (message.type === "subscribe") {
      subscribers.add(ws);
      ws.send(JSON.stringify({ type: "subscribed", room: message.room, seq: 0 }));
    }
  });
  ws.on("close", () => subscribers.delete(ws));
});

server.listen(port, "127.0.0.1");
