// An independent ISO 8583 client for SmartGuard's interop test.
//
// Usage: node iso8583_client.js PORT REQUESTS.json
// REQUESTS.json is a list of messages as {"0": MTI, "2": ..., ...} field values. Each is
// packed by the npm package iso_8583 (not SmartGuard's codec, not pyiso8583), sent over one
// TCP connection with its 2-byte length header, and every answer is unpacked by iso_8583.
// Prints the answers as a JSON list, in the order they arrived.
"use strict";
const net = require("net");
const fs = require("fs");
const Iso8583 = require("iso_8583");

const [port, file] = process.argv.slice(2);
const requests = JSON.parse(fs.readFileSync(file, "utf8"));
const answers = [];
let buffer = Buffer.alloc(0);

function fail(message) {
  process.stderr.write(message + "\n");
  process.exit(1);
}

const socket = net.connect(Number(port), "127.0.0.1", () => {
  for (const fields of requests) {
    const message = new Iso8583(fields);
    const valid = message.validateMessage();
    if (valid !== true) fail("iso_8583 refused a request: " + JSON.stringify(valid));
    socket.write(message.getBufferMessage());
  }
});

socket.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  while (buffer.length >= 2) {
    const size = buffer.readUInt16BE(0);
    if (buffer.length < 2 + size) break;
    const answer = new Iso8583().getIsoJSON(buffer.subarray(0, 2 + size), {});
    if (answer.error) fail("iso_8583 could not unpack an answer: " + answer.error);
    answers.push(answer);
    buffer = buffer.subarray(2 + size);
  }
  if (answers.length === requests.length) {
    process.stdout.write(JSON.stringify(answers) + "\n");
    socket.end();
  }
});

socket.on("error", (err) => fail("socket error: " + err.message));
setTimeout(() => fail("timed out with " + answers.length + " answers"), 20000).unref();
