/* global process, Buffer, fetch, console */
// Throughput of the built devnet against a bare Fastify baseline measured in the same run.
//   npx nest build tron-devnet && node apps/tron-devnet/bench/devnet-bench.mjs [--seconds 5] [--concurrency 32]
// The devnet and the baseline each run in their own process (one core each); this process only
// generates load, so the two numbers are comparable. Speed is judged by the ratio, never by
// absolute numbers.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TronWeb } from 'tronweb';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    transactions: { type: 'string', default: '3000' },
  },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const TX_COUNT = Number(values.transactions);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const devnetModule = pathToFileURL(resolve(root, 'dist/apps/tron-devnet/src/devnet.js')).href;

/** Starts `code` in a child node process that prints its port on the first stdout line. */
async function child(code) {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = await once(proc.stdout, 'data');
  return { proc, port: Number(String(chunk).trim().split('\n')[0]) };
}

const devnet = await child(`
  import { startDevnet } from '${devnetModule}';
  const d = await startDevnet({ port: 0, blockIntervalMs: 0, quiet: true, seed: 'bench' });
  process.stdout.write(d.port + '\\n');
`);
const baseline = await child(`
  import Fastify from 'fastify';
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_r, b, done) => done(null, b));
  const body = JSON.stringify({ address: '41' + '00'.repeat(20), balance: 1 });
  app.post('/*', (req, reply) => { JSON.parse(req.body || '{}'); reply.header('content-type', 'application/json').send(body); });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(app.server.address().port + '\\n');
`);

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(port, path, body) {
  return new Promise((resolvePost, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolvePost(Buffer.concat(chunks).toString()));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Requests/s with CONCURRENCY workers for SECONDS, each taking its next body from `bodies`. */
async function measure(port, path, bodies, seconds = SECONDS, check = () => true) {
  let i = 0;
  let done = 0;
  let bad = 0;
  const end = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < end && i < bodies.length) {
      const out = await post(port, path, bodies[i++]);
      if (check(out)) done++;
      else bad++;
    }
  };
  const start = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (Date.now() - start) / 1000;
  return { rate: done / elapsed, done, bad, elapsed };
}

const devnetUrl = `http://127.0.0.1:${devnet.port}`;
const stateRes = await fetch(`${devnetUrl}/devnet/state`);
const { genesis_accounts: accounts } = await stateRes.json();

// Warm-up.
const readBody = JSON.stringify({ address: accounts[0].address_hex });
await measure(devnet.port, '/walletsolidity/getaccount', Array(2000).fill(readBody), 1);
await measure(baseline.port, '/wallet/getaccount', Array(2000).fill(readBody), 1);

const many = Array(10_000_000).fill(readBody);
const base = await measure(baseline.port, '/wallet/getaccount', many);
const reads = await measure(devnet.port, '/walletsolidity/getaccount', many, SECONDS, (o) =>
  o.startsWith('{"address"'),
);

// Broadcast: pre-signed transfers (distinct amounts) from the genesis accounts.
const tws = accounts.map((a) => new TronWeb({ fullHost: devnetUrl, privateKey: a.private_key }));
const sink = accounts[accounts.length - 1].address;
const signed = [];
for (let i = 0; i < TX_COUNT; i++) {
  const tw = tws[i % (tws.length - 1)];
  const from = tw.defaultAddress.base58;
  const tx = await tw.transactionBuilder.sendTrx(sink, 1 + i, from);
  signed.push(JSON.stringify(await tw.trx.sign(tx)));
}
const txBase = await measure(baseline.port, '/wallet/broadcasttransaction', signed);
const broadcasts = await measure(
  devnet.port,
  '/wallet/broadcasttransaction',
  signed,
  SECONDS,
  (o) => o.startsWith('{"result":true'),
);
await post(devnet.port, '/devnet/blocks', '{"count":1}');

const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(
  `tron-devnet benchmark (concurrency ${CONCURRENCY}, ${SECONDS}s per run, one process each)`,
);
console.log(`  baseline  bare Fastify constant JSON : ${fmt(base.rate)} req/s`);
console.log(
  `  getaccount (walletsolidity)         : ${fmt(reads.rate)} req/s  ratio ${(reads.rate / base.rate).toFixed(2)}  (failed ${reads.bad})`,
);
console.log(`  baseline  same bodies as broadcast   : ${fmt(txBase.rate)} req/s`);
console.log(
  `  broadcasttransaction (signed, valid) : ${fmt(broadcasts.rate)} tx/s   ratio ${(broadcasts.rate / txBase.rate).toFixed(2)}  (${broadcasts.done} accepted, ${broadcasts.bad} refused)`,
);

agent.destroy();
devnet.proc.kill('SIGTERM');
baseline.proc.kill('SIGTERM');
