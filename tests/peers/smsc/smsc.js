// A small SMS centre for SmartGuard's integration tests, on node-smpp's real SMPP 3.4 server.
//
//   node smsc.js --port 2775 --control-port 0 --log received.jsonl [--system-id sg --password pw]
//
// It accepts transceiver binds, answers enquire_link, records every submit_sm (one JSON line
// per PDU in --log, so a restarted SMSC keeps its history), answers with a message id and
// sends a delivery receipt when one was asked for. An HTTP control port lets a test:
//   GET  /received        every submit_sm recorded, as a JSON array
//   GET  /stats           binds, enquire_links, deliver_sm answers
//   POST /mo              {"from", "to", "text", "message_id"}: a mobile-originated SMS,
//                         sent as deliver_sm to the bound client; answers once the client
//                         has acknowledged it (deliver_sm_resp), with its command_status.
//   POST /behaviour       {"silent": ["text", ...], "refuse_part": {"part": 2, "times": 1}}:
//                         a submit_sm whose text contains a "silent" string is recorded but
//                         never answered; the next "times" parts number "part" of long
//                         messages are refused (ESME_RSYSERR) and not recorded;
//                         {"die_after": n}: SIGKILL itself once n more submit_sm are recorded
//                         (the n-th unanswered), i.e. the centre dies in the middle of a burst.
// query_sm is answered from the record (DELIVERED for a recorded id, else ESME_RQUERYFAIL).
// On start it prints one JSON line: {"smpp_port": ..., "control_port": ...}.
'use strict';

const fs = require('fs');
const http = require('http');
const { performance } = require('perf_hooks');
const smpp = require('smpp');

function option(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const logPath = option('log', 'received.jsonl');
const systemId = option('system-id', 'smartguard');
const password = option('password', 'secret');
const stats = { binds: 0, enquire_links: 0, deliver_sm_resps: 0, submits: 0, refused: 0,
  queries: 0 };
const sessions = new Set();
let nextId = Number(Date.now() % 1000000) * 1000;
const behaviour = { silent: [], refuse_part: null, die_after: 0 };

function record(entry) {
  fs.appendFileSync(logPath, JSON.stringify(entry) + '\n');
}

function received() {
  if (!fs.existsSync(logPath)) return [];
  return fs.readFileSync(logPath, 'utf8').split('\n').filter(Boolean).map(JSON.parse);
}

function smppTime(d) {
  const p = (n) => String(n).padStart(2, '0');
  return p(d.getUTCFullYear() % 100) + p(d.getUTCMonth() + 1) + p(d.getUTCDate()) +
    p(d.getUTCHours()) + p(d.getUTCMinutes());
}

function refused(udh) {
  const rule = behaviour.refuse_part;
  const part = udh.length ? parseInt(udh[0].slice(-2), 16) : 0;
  if (!rule || rule.times <= 0 || part !== rule.part) return false;
  rule.times -= 1;
  stats.refused += 1;
  return true;
}

function onSubmit(session, pdu) {
  const id = 'smsc' + (nextId++);
  const sm = pdu.short_message || {};
  const udh = (sm.udh || []).map((b) => Buffer.from(b).toString('hex'));
  const message = typeof sm === 'string' ? sm : (sm.message || '');
  stats.submits += 1;
  if (refused(udh)) {
    session.send(pdu.response({ command_status: smpp.ESME_RSYSERR }));
    return;
  }
  record({
    id, source: pdu.source_addr, destination: pdu.destination_addr,
    data_coding: pdu.data_coding, esm_class: pdu.esm_class,
    registered_delivery: pdu.registered_delivery, udh, message,
    user_message_reference: pdu.user_message_reference,
    at: new Date().toISOString(),
    t: performance.timeOrigin + performance.now(),  // ms since the epoch, sub-ms
  });
  if (behaviour.die_after > 0 && --behaviour.die_after === 0) process.kill(process.pid, 'SIGKILL');
  if (behaviour.silent.some((text) => message.includes(text))) return;
  session.send(pdu.response({ message_id: id }));
  if (pdu.registered_delivery & 1) {
    const now = smppTime(new Date());
    setTimeout(() => session.deliver_sm({
      source_addr: pdu.destination_addr, destination_addr: pdu.source_addr, esm_class: 4,
      short_message: `id:${id} sub:001 dlvrd:001 submit date:${now} done date:${now} ` +
        'stat:DELIVRD err:000 text:',
      receipted_message_id: id, message_state: 2,
    }), 20);
  }
}

function onSession(session) {
  session.on('bind_transceiver', (pdu) => {
    if (pdu.system_id !== systemId || pdu.password !== password) {
      session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
      session.close();
      return;
    }
    stats.binds += 1;
    session.send(pdu.response());
    sessions.add(session);
  });
  session.on('enquire_link', (pdu) => {
    stats.enquire_links += 1;
    session.send(pdu.response());
  });
  session.on('submit_sm', (pdu) => onSubmit(session, pdu));
  session.on('query_sm', (pdu) => {
    stats.queries += 1;
    const known = received().some((m) => m.id === pdu.message_id);
    session.send(pdu.response(known
      ? { message_id: pdu.message_id, final_date: '', message_state: 2, error_code: 0 }
      : { command_status: smpp.ESME_RQUERYFAIL }));
  });
  session.on('unbind', (pdu) => {
    session.send(pdu.response());
    session.close();
  });
  session.on('close', () => sessions.delete(session));
  session.on('error', () => sessions.delete(session));
}

function sendMo(body, reply) {
  const session = [...sessions][0];
  if (!session) {
    reply(409, { error: 'no client is bound' });
    return;
  }
  const ascii = /^[\x00-\x7f]*$/.test(body.text);
  session.deliver_sm({
    source_addr: body.from.replace(/^\+/, ''), source_addr_ton: 1, source_addr_npi: 1,
    destination_addr: body.to || '95588', esm_class: 0,
    data_coding: ascii ? 0 : 8,
    short_message: body.text,
    receipted_message_id: body.message_id,
  }, (pdu) => {
    stats.deliver_sm_resps += 1;
    reply(200, { command_status: pdu.command_status });
  });
}

function control(req, res) {
  const reply = (status, value) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  let raw = '';
  req.on('data', (chunk) => { raw += chunk; });
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/received') return reply(200, received());
    if (req.method === 'GET' && req.url === '/stats') return reply(200, stats);
    if (req.method === 'POST' && req.url === '/mo') return sendMo(JSON.parse(raw), reply);
    if (req.method === 'POST' && req.url === '/behaviour') {
      Object.assign(behaviour, JSON.parse(raw));
      return reply(200, behaviour);
    }
    return reply(404, { error: 'not found' });
  });
}

const server = smpp.createServer({ debug: false }, onSession);
server.listen(Number(option('port', '0')), '127.0.0.1', () => {
  const ctl = http.createServer(control);
  ctl.listen(Number(option('control-port', '0')), '127.0.0.1', () => {
    console.log(JSON.stringify({
      smpp_port: server.address().port, control_port: ctl.address().port,
    }));
  });
});
process.on('SIGTERM', () => process.exit(0));
