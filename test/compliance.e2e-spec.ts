import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { TronWeb } from 'tronweb';
import { ComplianceAlertsJob } from '../apps/staking-api/src/compliance/alerts/compliance-alerts.job.js';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { OPERATION_SETTLED } from '../apps/staking-api/src/operations/operation-events.js';
import { OperationsRepository } from '../apps/staking-api/src/operations/operations.repository.js';
import { PepRescreenJob } from '../apps/staking-api/src/compliance/screening/pep-rescreen.job.js';
import { loginAs } from './support/auth.js';
import { writeTestPolicy } from './support/policy.js';
import { startStakingFixture, type StakingFixture } from './support/staking-fixture.js';

const FIXTURES = 'test/fixtures/compliance';
// Addresses the fixtures list; the suite swaps two of them for devnet witnesses (vote targets).
const SDN_CSV_TRX = 'TVG65TedJ1x7UxsLwLYgoFcFAS7s1yVtpn';
const SDN_XML_TRX = 'TV5oQPViERSPMbLwfxb7cRTMyu6LFXqZ9r';
const SDN_CSV_OTHER = 'TYndbWDX3T3C2vaDgjDZfSgt5dG6b29RPz';
const BLOCKED_CSV = 'TPg7oFyzYASUFnUhW1a86k6yuKLNGrMnZM';
const MIN = 60_000;

interface Mail {
  to: string[];
  subject: string;
  body: string;
}

/** A real SMTP server on loopback (smtp-server) and an HTTP receiver, both collecting what arrives. */
async function startReceivers() {
  const mails: Mail[] = [];
  const hooks: { text: string }[] = [];
  const state = { failing: false };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        if (state.failing)
          return done(Object.assign(new Error('mailbox busy'), { responseCode: 451 }));
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1] ?? '';
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), subject, body: raw });
        done();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const http: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (state.failing) return void res.writeHead(503).end('down');
      hooks.push(JSON.parse(body) as { text: string });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const hookPort = (http.address() as AddressInfo).port;
  return {
    mails,
    hooks,
    state,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    hookUrl: `http://127.0.0.1:${hookPort}/services/T000/B000/secret-token`,
    close: async () => {
      await new Promise<void>((r) => smtp.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

/** Copies of the fixtures in a temp dir the suite can rewrite (truncate, break) between refreshes. */
function listDir(): { dir: string; sources: string } {
  const dir = join(tmpdir(), 'tron-staking-tests', `lists-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  for (const f of [
    'SDN.CSV',
    'ALT.CSV',
    'SDN_ADVANCED.XML',
    'un-consolidated.xml',
    'blocked-addresses.csv',
  ])
    copyFileSync(join(FIXTURES, f), join(dir, f));
  const sources = [
    `ofac-sdn-csv:${dir}/SDN.CSV|${dir}/ALT.CSV`,
    `ofac-advanced-xml:${dir}/SDN_ADVANCED.XML`,
    `un-xml:${dir}/un-consolidated.xml`,
    `csv:${dir}/blocked-addresses.csv`,
  ].join(',');
  return { dir, sources };
}

/** Puts a devnet witness where the fixture lists its TRON address. */
function listWitness(dir: string, file: string, fixtureAddress: string, witness: string) {
  const path = join(dir, file);
  writeFileSync(path, readFileSync(path, 'utf8').split(fixtureAddress).join(witness));
}

const policyFile = writeTestPolicy((p) => {
  // Small velocity windows; the suite's admin makes fewer allowed writes than this per minute.
  p.transaction_monitoring.velocity.per_minute = 4;
  // Level 1 reaches both channels at once, level 2 after 15 minutes without an acknowledgement.
  p.incident_response.escalation = [
    { level: 1, after_minutes: 0, notify: ['email', 'slack'] },
    { level: 2, after_minutes: 15, notify: ['email', 'slack'] },
  ];
});

describe('compliance: KYC tiers, sanctions lists, screening, velocity, incidents and alerts (KYC, AML and notifications on)', () => {
  let f: StakingFixture;
  let db: Connection;
  let rx: Awaited<ReturnType<typeof startReceivers>>;
  let lists: { dir: string; sources: string };
  let csvWitness: string;
  let xmlWitness: string;
  let owner: string;
  let delegator: string;

  const profile = async (body: Record<string, unknown>) => {
    const res = await f.post('/api/v1/compliance/kyc-profiles', {
      kind: 'customer',
      status: 'verified',
      verified_at: '2026-11-01T00:00:00.000Z',
      ...body,
    });
    expect(res.statusCode).toBe(201);
    return res.json() as {
      profile_id: string;
      screening: { sanctions_hits: unknown[]; pep_hits: { name: string }[] };
    };
  };
  const link = async (address: string, kyc_profile_id: string | null) => {
    const res = await f.t.inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${address}`,
      headers: f.auth,
      payload: { kyc_profile_id },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const accountAt = async (
    level: string,
    trx = 50_000,
    name = `Customer ${randomBytes(3).toString('hex')}`,
  ) => {
    const address = await f.managedAccount(trx);
    await link(address, (await profile({ name, level })).profile_id);
    return address;
  };
  const freeze = (address: string, amount: number, headers?: Record<string, string>) =>
    f.post(
      '/api/v1/tron/staking/freeze',
      { address, amount, resource: 'ENERGY', duration: 1 },
      headers,
    );
  const opsOf = (address: string) =>
    db.collection('operations').countDocuments({ owner_address: address });
  const incidents = async (query = '') =>
    (await f.get(`/api/v1/compliance/incidents${query}`)).json() as {
      incidents: {
        id: string;
        type: string;
        severity: string;
        status: string;
        escalation_level: number;
        subject?: string;
      }[];
      total_count: number;
    };
  const refresh = async () => {
    const res = await f.post('/api/v1/compliance/sanctions/refresh', {});
    expect(res.statusCode).toBe(200);
    return (
      res.json() as {
        results: {
          list: string;
          status: string;
          entries: number;
          reason?: string;
          incident_id?: string;
        }[];
      }
    ).results;
  };
  const screen = async (body: Record<string, unknown>) => {
    const res = await f.post('/api/v1/compliance/screen', body);
    return { status: res.statusCode, body: res.json() };
  };
  const alerts = () => f.t.app.get(ComplianceAlertsJob);

  beforeAll(async () => {
    rx = await startReceivers();
    lists = listDir();
    f = await startStakingFixture('compliance', {
      SECURITY_POLICIES_FILE: policyFile,
      KYC_ENABLED: 'true',
      AML_ENABLED: 'true',
      NOTIFICATIONS_ENABLED: 'true',
      SANCTIONS_SOURCES: lists.sources,
      SMTP_URL: rx.smtpUrl,
      ALERT_EMAIL_FROM: 'tron-staking@example.test',
      ALERT_EMAIL_TO: 'compliance@example.test',
      SLACK_WEBHOOK_URL: rx.hookUrl,
    });
    db = f.t.app.get<Connection>(getConnectionToken());
    [csvWitness, xmlWitness] = f.node.witnesses.map((w) => w.address);
    listWitness(lists.dir, 'SDN.CSV', SDN_CSV_TRX, csvWitness!);
    listWitness(lists.dir, 'SDN_ADVANCED.XML', SDN_XML_TRX, xmlWitness!);
  });
  afterAll(async () => {
    await f?.close();
    await rx?.close();
  });

  it('loads every configured list as a version: source, entries, checksum', async () => {
    const results = await refresh();
    expect(results.map((r) => [r.list, r.status])).toEqual([
      ['ofac-sdn-csv', 'active'],
      ['ofac-advanced-xml', 'active'],
      ['un-xml', 'active'],
      ['csv', 'active'],
    ]);
    // SDN.CSV: 6 parties, 2 TRX addresses, 6 names + 3 ALT.CSV aliases.
    expect(results[0]!.entries).toBe(11);
    const view = (await f.get('/api/v1/compliance/sanctions/lists')).json() as {
      lists: { list: string; entries: number; checksum?: string }[];
    };
    expect(view.lists.find((l) => l.list === 'ofac-sdn-csv')).toMatchObject({
      entries: 11,
      checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // The same documents again: a new load is recorded as unchanged, the version stays.
    expect((await refresh()).map((r) => r.status)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
  });

  it('POST /screen: addresses by exact match, names fuzzily (another word order and one typo is a hit on the UN list)', async () => {
    const byAddress = await screen({ address: SDN_CSV_OTHER });
    expect(byAddress.status).toBe(200);
    expect(byAddress.body).toMatchObject({
      hit: true,
      address_hits: [
        { list: 'ofac-sdn-csv', ref: 'SDN-41045', party: 'KARIMOV, Rustam Yusupovich' },
      ],
    });
    expect((await screen({ address: BLOCKED_CSV })).body.address_hits[0]).toMatchObject({
      list: 'csv',
    });
    expect((await screen({ address: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' })).body).toMatchObject({
      hit: false,
      address_hits: [],
    });

    const reordered = await screen({ name: 'Yasin Abdul Rahmn' });
    expect(reordered.body.hit).toBe(true);
    expect(reordered.body.sanctions_hits[0]).toMatchObject({
      list: 'un-xml',
      ref: 'QDi.999',
      name: 'ABDUL RAHMAN YASIN',
    });
    expect(reordered.body.sanctions_hits[0].similarity).toBeGreaterThanOrEqual(0.85);
    expect(reordered.body.sanctions_hits[0].similarity).toBeLessThan(1);
    // An alias, with diacritics dropped.
    expect((await screen({ name: 'pukkuksong trading' })).body.sanctions_hits[0]).toMatchObject({
      ref: 'KPe.997',
    });
    expect((await screen({ name: 'Maria Jose de la Pena' })).body.sanctions_hits[0]).toMatchObject({
      ref: 'CDi.998',
      similarity: 1,
    });
    expect((await screen({ name: 'John Smith' })).body).toMatchObject({
      hit: false,
      sanctions_hits: [],
    });

    for (const body of [{}, { address: SDN_CSV_OTHER, name: 'x' }]) {
      const res = await screen(body);
      expect(res.status).toBe(422);
      expect(res.body.error_code).toBe('S175');
    }
    expect((await screen({ address: 'not-an-address' })).status).toBe(400);
  });

  it('a vote for a witness on SDN.CSV is blocked 403 S132 before anything is built, opens a critical incident and an alert reaches the SMTP server and the webhook receiver', async () => {
    owner = await accountAt('advanced', 100_000);
    expect((await freeze(owner, 1_000)).statusCode).toBe(201);
    await f.settle();
    const before = await opsOf(owner);
    const res = await f.post('/api/v1/tron/staking/vote', {
      address: owner,
      witness_address: csvWitness,
      vote_count: 100,
    });
    expect(res.statusCode).toBe(403);
    const body = res.json();
    expect(body.error_code).toBe('S132');
    expect(body.details).toMatchObject({
      address: csvWitness,
      role: 'counterparty',
      hits: [{ list: 'ofac-sdn-csv', ref: 'SDN-39012', party: 'GARANTEX EUROPE OU' }],
    });
    expect(await opsOf(owner)).toBe(before);

    const incident = (await incidents('?type=sanctions_hit')).incidents.find(
      (i) => i.id === body.details.incident_id,
    )!;
    expect(incident).toMatchObject({
      severity: 'critical',
      status: 'open',
      subject: csvWitness,
      escalation_level: 1,
    });
    const audit = await db
      .collection('audit_logs')
      .findOne({ action: 'compliance.block', resource: owner });
    expect(audit).toBeTruthy();
    expect(JSON.stringify(audit)).toContain('sanctions_address');

    const mailsBefore = rx.mails.length;
    const run = await alerts().runOnce();
    expect(run.result).toMatchObject({ sent: 2, failed: 0 });
    const mail = rx.mails.slice(mailsBefore).find((m) => m.body.includes(incident.id))!;
    expect(mail.to).toEqual(['compliance@example.test']);
    expect(mail.subject).toContain('sanctions_hit');
    expect(rx.hooks.some((h) => h.text.includes(incident.id) && h.text.includes('CRITICAL'))).toBe(
      true,
    );
    // Sent once: the next tick has nothing to send.
    expect((await alerts().runOnce()).result).toMatchObject({ sent: 0 });
    const stored = JSON.stringify(
      await db.collection('compliance_alerts').find({ incident_id: incident.id }).toArray(),
    );
    expect(stored).not.toContain('secret-token');
  });

  it('the same through SDN_ADVANCED.XML (a "Digital Currency Address - TRX" feature)', async () => {
    const res = await f.post('/api/v1/tron/staking/vote', {
      address: owner,
      witness_address: xmlWitness,
      vote_count: 100,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error_code).toBe('S132');
    expect(res.json().details.hits).toEqual([
      expect.objectContaining({
        list: 'ofac-advanced-xml',
        ref: 'SDN-52011',
        party: 'NETEX24 EXCHANGE LTD',
      }),
    ]);
  });

  it('a DELEGATION to a receiver on SDN.CSV is blocked 403 S132 before anything is built, opens a critical incident and an alert reaches the SMTP server and the webhook receiver', async () => {
    delegator = await accountAt('advanced', 10_000);
    expect((await freeze(delegator, 2_000)).statusCode).toBe(201);
    await f.settle();
    // The listed receiver exists on the devnet (a delegation needs an activated receiver).
    await f.node.control('/devnet/faucet', { address: SDN_CSV_OTHER, amount_sun: 1_000_000 });
    const before = await opsOf(delegator);
    const res = await f.post('/api/v1/tron/staking/delegate', {
      address: delegator,
      receiver_address: SDN_CSV_OTHER,
      amount: 100,
      resource: 'ENERGY',
    });
    expect(res.statusCode).toBe(403);
    const body = res.json();
    expect(body.error_code).toBe('S132');
    expect(body.details).toMatchObject({
      address: SDN_CSV_OTHER,
      role: 'counterparty',
      hits: [{ list: 'ofac-sdn-csv', ref: 'SDN-41045', party: 'KARIMOV, Rustam Yusupovich' }],
    });
    expect(await opsOf(delegator)).toBe(before);
    expect(
      await db.collection('resource_delegations').countDocuments({ from_address: delegator }),
    ).toBe(0);
    const incident = (
      await f.get(`/api/v1/compliance/incidents/${body.details.incident_id}`)
    ).json();
    expect(incident).toMatchObject({
      type: 'sanctions_hit',
      severity: 'critical',
      status: 'open',
      subject: SDN_CSV_OTHER,
    });
    const mailsBefore = rx.mails.length;
    // (The vote case's XML incident may still have alerts queued: this run sends those too.)
    expect((await alerts().runOnce()).result).toMatchObject({ failed: 0 });
    const sent = await db
      .collection('compliance_alerts')
      .find({ incident_id: incident.id })
      .toArray();
    expect(sent.map((a) => [a.channel, a.state]).sort()).toEqual([
      ['email', 'sent'],
      ['slack', 'sent'],
    ]);
    const mail = rx.mails.slice(mailsBefore).find((m) => m.body.includes(incident.id))!;
    expect(mail.to).toEqual(['compliance@example.test']);
    expect(mail.body).toContain('delegate');
    expect(rx.hooks.some((h) => h.text.includes(incident.id) && h.text.includes('CRITICAL'))).toBe(
      true,
    );
  });

  it('the same delegation check through SDN_ADVANCED.XML, with its own incident and alerts', async () => {
    const res = await f.post('/api/v1/tron/staking/delegate', {
      address: delegator,
      receiver_address: xmlWitness,
      amount: 100,
      resource: 'ENERGY',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error_code).toBe('S132');
    expect(res.json().details.hits).toEqual([
      expect.objectContaining({ list: 'ofac-advanced-xml', ref: 'SDN-52011' }),
    ]);
    const id = res.json().details.incident_id as string;
    expect((await f.get(`/api/v1/compliance/incidents/${id}`)).json()).toMatchObject({
      type: 'sanctions_hit',
      subject: xmlWitness,
    });
    const mailsBefore = rx.mails.length;
    expect((await alerts().runOnce()).result).toMatchObject({ sent: 2, failed: 0 });
    expect(rx.mails.slice(mailsBefore).some((m) => m.body.includes(id))).toBe(true);
    expect(rx.hooks.some((h) => h.text.includes(id))).toBe(true);
  });

  it('an energy policy whose receiver is on SDN.CSV is refused 403 S132 and none is stored', async () => {
    const res = await f.post('/api/v1/tron/staking/energy-policies', {
      pool_address: delegator,
      receiver_address: SDN_CSV_OTHER,
      resource: 'energy',
      min_available: 1000,
      target_available: 5000,
      max_delegated_trx: 100,
      enabled: false,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      error_code: 'S132',
      details: { address: SDN_CSV_OTHER, role: 'counterparty' },
    });
    expect(res.json().details.incident_id).toMatch(/^inc_/);
    const list = (
      await f.get(`/api/v1/tron/staking/energy-policies?pool_address=${delegator}`)
    ).json();
    expect(list.count).toBe(0);
  });

  it('a KYC profile named like a UN-listed person blocks its accounts (S132 from the cached name screening)', async () => {
    const listed = await profile({ name: 'Yasin, Abdul Rahmn', level: 'advanced' });
    expect(listed.screening.sanctions_hits).toEqual([
      expect.objectContaining({ list: 'un-xml', ref: 'QDi.999' }),
    ]);
    const address = await f.managedAccount(10_000);
    await link(address, listed.profile_id);
    const res = await freeze(address, 10);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      error_code: 'S132',
      details: { profile_id: listed.profile_id },
    });
    expect(await opsOf(address)).toBe(0);
  });

  it('KYC: no profile → S130; a basic profile cannot stake above its tier (S131 names the level needed); within the tier it can', async () => {
    const bare = await f.managedAccount(50_000);
    const none = await freeze(bare, 10);
    expect(none.statusCode).toBe(403);
    expect(none.json().error_code).toBe('S130');

    const basic = await accountAt('basic');
    const over = await freeze(basic, 20_000);
    expect(over.statusCode).toBe(403);
    expect(over.json()).toMatchObject({
      error_code: 'S131',
      details: { level: 'basic', required_level: 'intermediate', amount: 20_000 },
    });
    expect(await opsOf(basic)).toBe(0);
    const within = await freeze(basic, 5_000);
    expect(within.statusCode).toBe(201);
    const op = await db.collection('operations').findOne({ owner_address: basic });
    expect(op?.compliance).toMatchObject({
      outcome: 'allow',
      risk: { band: 'low', factors: { kyc_basic: 15 } },
    });
    // The decision is shown on the operation.
    const view = (await f.get(`/api/v1/operations/${within.json().operation_id}`)).json();
    expect(view.compliance).toEqual({
      decision: 'allow',
      reasons: [],
      risk_score: 15,
      risk_band: 'low',
      factors: { kyc_basic: 15 },
      decided_at: expect.any(String),
    });
    expect(view.compliance.counted).toBeUndefined();

    // An unknown profile id is refused on link and on create.
    const unknown = await f.t.inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${basic}`,
      headers: f.auth,
      payload: { kyc_profile_id: 'kyc_000000000000' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error_code).toBe('S170');
    const inconsistent = await f.post('/api/v1/compliance/kyc-profiles', {
      name: 'X',
      kind: 'customer',
      level: 'none',
      status: 'verified',
    });
    expect(inconsistent.statusCode).toBe(422);
    expect(inconsistent.json().error_code).toBe('S171');
  });

  it('velocity: the 5th operation in a minute (policy per_minute 4) is blocked 429 S134 and opens a high_velocity incident', async () => {
    const operator = await loginAs(f.t, 'operator');
    const address = await accountAt('advanced');
    // Stay inside one minute window so the count is not split by its boundary.
    if (Date.now() % MIN > MIN - 15_000)
      await new Promise((r) => setTimeout(r, MIN - (Date.now() % MIN) + 100));
    for (let i = 0; i < 4; i++) expect((await freeze(address, 1, operator)).statusCode).toBe(201);
    const fifth = await freeze(address, 1, operator);
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json()).toMatchObject({
      error_code: 'S134',
      details: { window: 'minute', limit: 4, count: 4 },
    });
    expect(await opsOf(address)).toBe(4);
    const open = await incidents('?type=high_velocity');
    expect(
      open.incidents.some(
        (i) => i.id === fifth.json().details.incident_id && i.severity === 'high',
      ),
    ).toBe(true);
  });

  it('a truncated SDN.CSV and a malformed SDN_ADVANCED.XML keep the previous lists and open list_refresh_failure incidents', async () => {
    const sdn = readFileSync(join(lists.dir, 'SDN.CSV'), 'utf8');
    writeFileSync(join(lists.dir, 'SDN.CSV'), sdn.split('\r\n').slice(0, 2).join('\r\n'));
    const xml = readFileSync(join(lists.dir, 'SDN_ADVANCED.XML'), 'utf8');
    writeFileSync(join(lists.dir, 'SDN_ADVANCED.XML'), xml.slice(0, Math.floor(xml.length / 2)));
    const results = await refresh();
    const csv = results.find((r) => r.list === 'ofac-sdn-csv')!;
    const adv = results.find((r) => r.list === 'ofac-advanced-xml')!;
    expect(csv).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/truncated or partial/),
    });
    expect(adv).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^malformed/) });
    const failures = await incidents('?type=list_refresh_failure');
    expect(failures.incidents.map((i) => i.id)).toEqual(
      expect.arrayContaining([csv.incident_id, adv.incident_id]),
    );
    // The lists in force are the previous versions: both witnesses are still listed.
    expect((await screen({ address: csvWitness })).body.hit).toBe(true);
    expect((await screen({ address: xmlWitness })).body.hit).toBe(true);
    const loads = await db
      .collection('screening_list_loads')
      .countDocuments({ list: 'ofac-sdn-csv', status: 'rejected' });
    expect(loads).toBe(1);
    writeFileSync(join(lists.dir, 'SDN.CSV'), sdn);
    writeFileSync(join(lists.dir, 'SDN_ADVANCED.XML'), xml);
  });

  it('PEP: an import without re-screen leaves profiles as they were; the quarterly job re-screens the due ones and finds the newly listed person', async () => {
    const elena = await profile({ name: 'Elena Markovic', level: 'advanced', country: 'RS' });
    expect(elena.screening.pep_hits).toEqual([]);
    const csv = readFileSync(join(FIXTURES, 'pep.csv'), 'utf8');
    const imported = await f.post('/api/v1/compliance/pep/import', { csv, rescreen: false });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({ parties: 2, entries: 4, rescreened: 0 });
    const unchanged = (await f.get(`/api/v1/compliance/kyc-profiles/${elena.profile_id}`)).json();
    expect(unchanged.screening.pep_hits).toEqual([]);

    // Today: nobody is due yet. 91 days on: every profile made today is.
    expect((await f.t.app.get(PepRescreenJob).runOnce()).result).toMatchObject({ rescreened: 0 });
    const later = new Date(Date.now() + 91 * 86_400_000);
    const run = await f.t.app.get(PepRescreenJob).runOnce(later);
    expect(run.result!.rescreened as number).toBeGreaterThanOrEqual(1);
    const after = (await f.get(`/api/v1/compliance/kyc-profiles/${elena.profile_id}`)).json();
    expect(after.screening.pep_hits[0]).toMatchObject({ list: 'pep', name: 'Elena Marković' });
    expect(
      (await incidents('?type=pep_match')).incidents.some((i) => i.subject === elena.profile_id),
    ).toBe(true);

    // A write for a PEP's account waits for approvers (rule compliance_review), whatever its
    // amount: the compliance decision hands its reasons to the approval gate.
    const address = await f.managedAccount(1_000);
    await link(address, elena.profile_id);
    const parked = await freeze(address, 10);
    expect(parked.statusCode).toBe(202);
    expect(parked.json()).toMatchObject({ status: 'pending_approval', required_approvals: 1 });
    const op = await db.collection('operations').findOne({ owner_address: address });
    expect(op?.state).toBe('pending_approval');
    const approval = (await f.get(`/api/v1/approvals/${parked.json().approval_id}`)).json();
    expect(JSON.stringify(approval)).toContain('pep_match');
    // The parked operation shows why it waits.
    const shown = (await f.get(`/api/v1/operations/${parked.json().operation_id}`)).json();
    expect(shown.compliance).toMatchObject({ decision: 'approval_required' });
    expect(JSON.stringify(shown.compliance.reasons)).toContain('pep');

    // An import with re-screen (the default) screens every profile at once.
    const carlos = await profile({ name: 'Carlos Alberto Mendez', level: 'basic' });
    const again = await f.post('/api/v1/compliance/pep/import', {
      csv: csv.replace('Elena', 'Jelena'),
    });
    expect(again.json().rescreened).toBeGreaterThanOrEqual(2);
    const c = (await f.get(`/api/v1/compliance/kyc-profiles/${carlos.profile_id}`)).json();
    expect(c.screening.pep_hits[0]).toMatchObject({ name: 'Carlos Alberto Méndez' });
    const bad = await f.post('/api/v1/compliance/pep/import', { csv: 'country\nRS\n' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error_code).toBe('S176');
  });

  it('escalation: an unacknowledged incident sends its level-2 alerts after 15 minutes; an acknowledged one does not escalate', async () => {
    const sanctions = (await incidents('?type=sanctions_hit&status=open')).incidents;
    const [first, second] = sanctions;
    expect(second).toBeDefined();
    const ack = await f.post(`/api/v1/compliance/incidents/${second!.id}/acknowledge`, {
      assignee: 'officer-1',
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', assignee: 'officer-1' });
    await alerts().runOnce();
    const mails = rx.mails.length;
    const hooks = rx.hooks.length;
    // 14 minutes: not yet.
    await alerts().runOnce(new Date(Date.now() + 14 * MIN));
    expect(rx.mails.length).toBe(mails);
    const run = await alerts().runOnce(new Date(Date.now() + 16 * MIN));
    expect(run.result!.escalated as number).toBeGreaterThanOrEqual(1);
    const level2 = rx.mails.slice(mails).filter((m) => m.body.includes('escalation level 2'));
    expect(level2.some((m) => m.body.includes(first!.id))).toBe(true);
    expect(level2.some((m) => m.body.includes(second!.id))).toBe(false);
    expect(rx.hooks.length).toBeGreaterThan(hooks);
    expect((await f.get(`/api/v1/compliance/incidents/${first!.id}`)).json().escalation_level).toBe(
      2,
    );

    const resolved = await f.post(`/api/v1/compliance/incidents/${first!.id}/resolve`, {
      resolution: 'Confirmed; reported.',
    });
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      resolution: 'Confirmed; reported.',
    });
    const twice = await f.post(`/api/v1/compliance/incidents/${first!.id}/resolve`, {
      resolution: 'again',
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error_code).toBe('S174');
    const missing = await f.post(
      `/api/v1/compliance/incidents/inc_${'0'.repeat(24)}/acknowledge`,
      {},
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error_code).toBe('S173');
  });

  it('a webhook that fails is retried after the policy delay, then delivered', async () => {
    rx.state.failing = true;
    const incident = (await refreshFailure())!;
    const first = await alerts().runOnce();
    expect(first.result).toMatchObject({ retried: 2 });
    const stored = await db
      .collection('compliance_alerts')
      .find({ incident_id: incident })
      .toArray();
    expect(
      stored.every(
        (a) =>
          a.state === 'pending' &&
          a.attempts === 1 &&
          !String(a.last_error).includes('secret-token'),
      ),
    ).toBe(true);
    rx.state.failing = false;
    // Not before the first retry delay (30 s).
    expect((await alerts().runOnce(new Date(Date.now() + 10_000))).result).toMatchObject({
      sent: 0,
    });
    const later = await alerts().runOnce(new Date(Date.now() + 31_000));
    expect(later.result).toMatchObject({ sent: 2 });
  });

  /** Breaks the UN list once: a new list_refresh_failure incident, returned by id. */
  async function refreshFailure(): Promise<string | undefined> {
    const path = join(lists.dir, 'un-consolidated.xml');
    const xml = readFileSync(path, 'utf8');
    writeFileSync(path, '<html>503 Service Unavailable</html>');
    const r = (await refresh()).find((x) => x.list === 'un-xml')!;
    writeFileSync(path, xml);
    return r.incident_id;
  }
});

describe('compliance switched off (KYC_ENABLED, AML_ENABLED and NOTIFICATIONS_ENABLED false)', () => {
  let f: StakingFixture;
  let db: Connection;
  let rx: Awaited<ReturnType<typeof startReceivers>>;
  let lists: { dir: string; sources: string };

  beforeAll(async () => {
    rx = await startReceivers();
    lists = listDir();
    f = await startStakingFixture('compliance_off', {
      SECURITY_POLICIES_FILE: policyFile,
      KYC_ENABLED: 'false',
      AML_ENABLED: 'false',
      NOTIFICATIONS_ENABLED: 'false',
      SANCTIONS_SOURCES: lists.sources,
      SMTP_URL: rx.smtpUrl,
      ALERT_EMAIL_TO: 'compliance@example.test',
      SLACK_WEBHOOK_URL: rx.hookUrl,
    });
    db = f.t.app.get<Connection>(getConnectionToken());
    listWitness(lists.dir, 'SDN.CSV', SDN_CSV_TRX, f.node.witnesses[0]!.address);
  });
  afterAll(async () => {
    await f?.close();
    await rx?.close();
  });

  it('an account without a KYC profile writes, more often than the velocity limit, and votes for a listed witness; every decision is stored as allow', async () => {
    expect((await f.post('/api/v1/compliance/sanctions/refresh', {})).statusCode).toBe(200);
    const witness = f.node.witnesses[0]!.address;
    expect((await f.post('/api/v1/compliance/screen', { address: witness })).json().hit).toBe(true);
    const address = await f.managedAccount(10_000);
    for (let i = 0; i < 5; i++)
      expect(
        (
          await f.post('/api/v1/tron/staking/freeze', {
            address,
            amount: 100,
            resource: 'ENERGY',
            duration: 1,
          })
        ).statusCode,
      ).toBe(201);
    await f.settle();
    const vote = await f.post('/api/v1/tron/staking/vote', {
      address,
      witness_address: witness,
      vote_count: 10,
    });
    expect(vote.statusCode).toBe(201);
    const ops = await db.collection('operations').find({ owner_address: address }).toArray();
    expect(ops).toHaveLength(6);
    expect(
      ops.every((op) => op.compliance?.outcome === 'allow' && op.compliance.reasons.length === 0),
    ).toBe(true);
    expect(
      await db.collection('compliance_incidents').countDocuments({ type: 'high_velocity' }),
    ).toBe(0);
  });

  it('a failed refresh still opens its incident, but no alert is queued or sent', async () => {
    writeFileSync(join(lists.dir, 'un-consolidated.xml'), 'not xml');
    const results = (await f.post('/api/v1/compliance/sanctions/refresh', {})).json().results as {
      list: string;
      status: string;
      incident_id?: string;
    }[];
    const un = results.find((r) => r.list === 'un-xml')!;
    expect(un.status).toBe('rejected');
    expect(un.incident_id).toBeDefined();
    await f.t.app.get(ComplianceAlertsJob).runOnce(new Date(Date.now() + 120 * MIN));
    expect(await db.collection('compliance_alerts').countDocuments({})).toBe(0);
    expect(rx.mails).toHaveLength(0);
    expect(rx.hooks).toHaveLength(0);
  });
});

const HOUR = 60 * MIN;
const monitoringPolicy = writeTestPolicy((p) => {
  // No KYC in this suite: an account without a profile must not score medium on that alone.
  p.aml_kyc.risk_scoring.weights.kyc_none = 0;
  p.transaction_monitoring.velocity = { per_minute: 100, per_hour: 1000, per_day: 5000 };
  p.transaction_monitoring.velocity_trx = {
    per_minute: 1_000_000,
    per_hour: 20_000,
    per_day: 1_000_000,
    on_breach: 'block',
  };
  p.transaction_monitoring.patterns.new_receivers = { max_per_hour: 2, on_breach: 'block' };
  p.transaction_monitoring.patterns.rapid_stake_unstake = {
    within_minutes: 2880,
    on_breach: 'approval',
  };
  p.incident_response.incidents.repeated_auth_failures = {
    threshold: 3,
    window_minutes: 15,
    severity: 'high',
  };
});

describe('transaction monitoring beyond counts (TRX windows, pattern rules) and the security incidents (auth failures, node outage)', () => {
  let f: StakingFixture;
  let db: Connection;
  const D = '/api/v1/tron/staking';

  const freeze = (address: string, amount: number, headers?: Record<string, string>) =>
    f.post(`${D}/freeze`, { address, amount, resource: 'ENERGY', duration: 1 }, headers);
  const delegate = (address: string, receiver: string, amount = 10) =>
    f.post(`${D}/delegate`, { address, receiver_address: receiver, amount, resource: 'ENERGY' });
  const receiver = async () => {
    const address = TronWeb.createRandom().address;
    await f.node.control('/devnet/faucet', { address, amount_sun: 1_000_000 });
    return address;
  };
  const incidentsOf = async (type: string) =>
    (
      (await f.get(`/api/v1/compliance/incidents?type=${type}`)).json() as {
        incidents: { id: string; subject?: string; summary: string; details?: unknown }[];
      }
    ).incidents;

  beforeAll(async () => {
    f = await startStakingFixture('compliance_monitoring', {
      SECURITY_POLICIES_FILE: monitoringPolicy,
      KYC_ENABLED: 'false',
      AML_ENABLED: 'true',
      NOTIFICATIONS_ENABLED: 'false',
      // A few failed calls open the node circuit (the outage case, last).
      TRON_CIRCUIT_VOLUME_THRESHOLD: '3',
      TRON_RETRY_MAX_DELAY_MS: '20',
    });
    db = f.t.app.get<Connection>(getConnectionToken());
  });
  afterAll(async () => f?.close());

  it('TRX per hour per account (policy 20,000): a write that would pass it is 429 S177 with an incident; a write refused later in the pipeline (a role limit) is not left counted', async () => {
    const operator = await loginAs(f.t, 'operator');
    const address = await f.managedAccount(40_000);
    // Stay inside one hour window so the total is not split by its boundary.
    if (Date.now() % HOUR > HOUR - 60_000)
      await new Promise((r) => setTimeout(r, HOUR - (Date.now() % HOUR) + 100));
    expect((await freeze(address, 1_000, operator)).statusCode).toBe(201);
    // 15,000 passes the monitoring window (16,000 ≤ 20,000) but not the operator's 10,000 per
    // operation: refused after the decision, so it must leave the window again.
    const refused = await freeze(address, 15_000, operator);
    expect(refused.json().error_code).toBe('S127');
    // Counted, 1,000 + 15,000 + 9,000 would be 25,000: over. Released, it is 10,000.
    expect((await freeze(address, 9_000, operator)).statusCode).toBe(201);
    const over = await freeze(address, 11_000);
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({
      error_code: 'S177',
      details: {
        scope: 'account',
        window: 'hour',
        limit_trx: 20_000,
        moved_trx: 10_000,
        amount_trx: 11_000,
      },
    });
    const incident = (await incidentsOf('high_velocity')).find(
      (i) => i.id === over.json().details.incident_id,
    );
    expect(incident?.subject).toBe(address);
    expect(await db.collection('operations').countDocuments({ owner_address: address })).toBe(2);
    // Within the limit it still goes through.
    expect((await freeze(address, 10_000)).statusCode).toBe(201);
    await f.settle();
  });

  it('an operation that ends off chain (never broadcast, expired) leaves the TRX window again, once', async () => {
    // Its own user: the admin's hourly TRX is the other cases' budget.
    const manager = await loginAs(f.t, 'manager');
    const address = await f.managedAccount(40_000);
    if (Date.now() % HOUR > HOUR - 60_000)
      await new Promise((r) => setTimeout(r, HOUR - (Date.now() % HOUR) + 100));
    await f.node.control('/devnet/faults', {
      path: '/wallet/broadcasttransaction',
      mode: 'error',
      status: 400,
      count: 1_000,
    });
    let failed: { operation_id: string };
    try {
      failed = (await freeze(address, 15_000, manager)).json();
      // Never broadcast: it expires once the solidified head passes its expiration.
      f.node.devnet.advance(120);
      await f.blocks(1 + f.node.solidityLagBlocks);
    } finally {
      await f.node.control('/devnet/faults', undefined, 'DELETE');
    }
    const op = (await f.get(`/api/v1/operations/${failed.operation_id}`)).json();
    expect(op.state).toBe('expired');
    // Still counted, 15,000 + 10,000 would pass 20,000; released by its settlement, it is 10,000.
    expect((await freeze(address, 10_000, manager)).statusCode).toBe(201);
    // The same settled event again (a listener must not trust it to come once) releases
    // nothing more: 10,000 + 11,000 is still over.
    const expired = (await f.t.app.get(OperationsRepository).findById(failed.operation_id))!;
    await f.t.app.get(EventEmitter2).emitAsync(OPERATION_SETTLED, { operation: expired });
    expect((await freeze(address, 11_000, manager)).json().error_code).toBe('S177');
    await f.settle();
  });

  it('pattern: a 3rd delegation to a NEW receiver within an hour (policy 2) is blocked 403 S178 with a suspicious_pattern incident; a known receiver is not new; the decision shows the novelty factor', async () => {
    const owner = await f.managedAccount(5_000);
    expect((await freeze(owner, 2_000)).statusCode).toBe(201);
    await f.settle();
    const [r1, r2, r3] = [await receiver(), await receiver(), await receiver()];
    const first = await delegate(owner, r1);
    expect(first.statusCode).toBe(201);
    const view = (await f.get(`/api/v1/operations/${first.json().operation_id}`)).json();
    expect(view.compliance).toMatchObject({
      decision: 'allow',
      risk_score: 10,
      risk_band: 'low',
      factors: { new_counterparty: 10 },
    });
    expect((await delegate(owner, r2)).statusCode).toBe(201);
    const third = await delegate(owner, r3);
    expect(third.statusCode).toBe(403);
    expect(third.json()).toMatchObject({
      error_code: 'S178',
      details: { receiver: r3, new_receivers_this_hour: 3, limit: 2 },
    });
    const incident = (await incidentsOf('suspicious_pattern')).find(
      (i) => i.id === third.json().details.incident_id,
    );
    expect(incident).toMatchObject({ subject: owner });
    await f.settle();
    // Confirmed delegations make their receivers known (an `_id` lookup), so r1 is not new.
    expect(
      await db
        .collection('compliance_known_counterparties')
        .findOne({ _id: `${owner}:${r1}` as never }),
    ).toMatchObject({ owner, counterparty: r1, kind: 'delegate' });
    const again = await delegate(owner, r1);
    expect(again.statusCode).toBe(201);
    const againView = (await f.get(`/api/v1/operations/${again.json().operation_id}`)).json();
    expect(againView.compliance.factors).toEqual({});
    expect(
      await db
        .collection('compliance_known_counterparties')
        .findOne({ _id: `${owner}:${r3}` as never }),
    ).toBeNull();
  });

  it('pattern: an unfreeze within 48 h of the last confirmed stake waits for an approver (202, reason rapid_stake_unstake) and opens a suspicious_pattern incident', async () => {
    const owner = await f.managedAccount(3_000);
    expect((await freeze(owner, 1_000)).statusCode).toBe(201);
    await f.settle();
    // Past the one-day holding period on the chain's clock; minutes on the wall clock.
    f.node.devnet.advance(2 * 86_400 + 10);
    await f.runJobs();
    const res = await f.post(`${D}/unfreeze`, { address: owner, resource: 'ENERGY', amount: 100 });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ status: 'pending_approval' });
    const approval = (await f.get(`/api/v1/approvals/${res.json().approval_id}`)).json();
    expect(JSON.stringify(approval)).toContain('rapid_stake_unstake');
    const incident = (await incidentsOf('suspicious_pattern')).find(
      (i) => i.subject === owner && i.summary.includes('rapid stake/unstake'),
    );
    expect(incident).toBeDefined();
  });

  it('repeated auth failures: the 3rd failed sign-in for one username within 15 min opens one incident (and one for the IP); more failures open no second one; the password is in none', async () => {
    const username = `ghost-${randomBytes(3).toString('hex')}`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const login = () =>
      f.t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password },
      });
    for (let i = 0; i < 2; i++) expect((await login()).statusCode).toBe(401);
    expect(
      (await incidentsOf('repeated_auth_failures')).filter(
        (i) => i.subject === `username:${username}`,
      ),
    ).toHaveLength(0);
    expect((await login()).statusCode).toBe(401);
    for (let i = 0; i < 2; i++) expect((await login()).statusCode).toBe(401);
    const open = await incidentsOf('repeated_auth_failures');
    const mine = open.filter((i) => i.subject === `username:${username}`);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      details: { username, threshold: 3, window_minutes: 15 },
    });
    expect(open.filter((i) => i.subject?.startsWith('ip:'))).toHaveLength(1);
    const stored = JSON.stringify(
      await db
        .collection('compliance_incidents')
        .find({ type: 'repeated_auth_failures' })
        .toArray(),
    );
    expect(stored).not.toContain(password);
  });

  it('node outage: when the node circuit opens, one node_outage incident with the time opens; further failures during the outage open no second one', async () => {
    const before = new Date();
    await f.node.control('/devnet/faults', { path: '*', count: 1_000, mode: 'error', status: 503 });
    try {
      let answer = '';
      for (let i = 0; i < 10 && answer !== 'S905'; i++) {
        const res = await f.get(`${D}/${TronWeb.createRandom().address}/status`);
        answer = res.json().error_code as string;
      }
      expect(answer).toBe('S905');
      for (let i = 0; i < 3; i++) await f.get(`${D}/${TronWeb.createRandom().address}/status`);
    } finally {
      await f.node.control('/devnet/faults', undefined, 'DELETE');
    }
    const outages = await incidentsOf('node_outage');
    expect(outages).toHaveLength(1);
    const details = outages[0]!.details as { opened_at: string };
    expect(Date.parse(details.opened_at)).toBeGreaterThanOrEqual(before.getTime());
    expect(outages[0]!.summary).toContain(details.opened_at);
  });
});

const structuringPolicy = writeTestPolicy((p) => {
  p.aml_kyc.risk_scoring.weights.kyc_none = 0;
  p.transaction_monitoring.velocity = { per_minute: 100, per_hour: 1000, per_day: 5000 };
  // An alert amount of 100 TRX puts the structuring band at [90, 100) TRX.
  p.transaction_monitoring.amount.single_transaction_alert_trx = 100;
  p.transaction_monitoring.patterns.structuring = {
    window_minutes: 60,
    count: 3,
    near_threshold_ratio: 0.9,
    on_breach: 'block',
  };
});

describe('pattern: structuring (amounts just under the alert amount)', () => {
  let f: StakingFixture;
  const D = '/api/v1/tron/staking';
  const freeze = (address: string, amount: number) =>
    f.post(`${D}/freeze`, { address, amount, resource: 'ENERGY', duration: 1 });

  beforeAll(async () => {
    f = await startStakingFixture('compliance_structuring', {
      SECURITY_POLICIES_FILE: structuringPolicy,
      KYC_ENABLED: 'false',
      AML_ENABLED: 'true',
      NOTIFICATIONS_ENABLED: 'false',
    });
  });
  afterAll(async () => f?.close());

  it('the 3rd write in an hour between 90 and 100 TRX (policy count 3) is blocked 403 S180 with one suspicious_pattern incident; amounts outside the band are not counted', async () => {
    const owner = await f.managedAccount(2_000);
    // Stay inside one structuring window so the count is not split by its boundary.
    if (Date.now() % HOUR > HOUR - 60_000)
      await new Promise((r) => setTimeout(r, HOUR - (Date.now() % HOUR) + 100));
    expect((await freeze(owner, 95)).statusCode).toBe(201);
    expect((await freeze(owner, 50)).statusCode).toBe(201);
    expect((await freeze(owner, 99.5)).statusCode).toBe(201);
    const third = await freeze(owner, 92);
    expect(third.statusCode).toBe(403);
    expect(third.json()).toMatchObject({
      error_code: 'S180',
      details: {
        amount_trx: 92,
        alert_amount_trx: 100,
        near_threshold_trx: 90,
        writes_in_window: 3,
        window_minutes: 60,
      },
    });
    // A blocked write is not counted: the next one in the band is the 3rd again.
    expect((await freeze(owner, 91)).json().error_code).toBe('S180');
    // The alert amount itself is a large transaction (reviewed as such), not structuring.
    expect((await freeze(owner, 100)).statusCode).toBe(201);
    const incidents = (
      (await f.get('/api/v1/compliance/incidents?type=suspicious_pattern')).json() as {
        incidents: { id: string; subject?: string; summary: string }[];
      }
    ).incidents.filter((i) => i.subject === owner);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.id).toBe(third.json().details.incident_id);
    expect(incidents[0]!.summary).toContain('structuring');
    await f.settle();
  });
});
