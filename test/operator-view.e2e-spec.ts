import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { bootTestApp, type TestApp } from './support/test-app.js';

const RULES = 'docker/prometheus/alerts.yml';
const DASHBOARD = 'docker/grafana/dashboards/tron-staking.json';
// Series Prometheus itself makes, or that a histogram's name stands for.
const BUILTIN = new Set(['up']);
const PROMQL_WORDS = new Set([
  'sum',
  'by',
  'rate',
  'increase',
  'max',
  'min',
  'time',
  'and',
  'or',
  'unless',
  'histogram_quantile',
  'le',
  'job',
  'outcome',
  'state',
  'kind',
  'status_code',
  'event_type',
  'instance',
  'endpoint',
  'cache',
  'severity',
]);

/** Metric names an expression uses: identifiers not followed by "(" that are not PromQL words. */
function metricNames(expr: string): string[] {
  const noLabels = expr.replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '');
  return [...noLabels.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1]!)
    .filter((n) => !PROMQL_WORDS.has(n) && !/^\d/.test(n) && n.includes('_'));
}

/** The family a series belongs to, as /metrics declares it in "# TYPE". */
const family = (name: string) => name.replace(/_(bucket|sum|count)$/, '');

describe('operator view: alert rules and dashboard name only exported metrics; promtool accepts the rules', () => {
  let t: TestApp;
  let exported: Set<string>;
  let text: string;
  beforeAll(async () => {
    t = await bootTestApp('operator_view');
    text = (await t.inject({ method: 'GET', url: '/metrics' })).body;
    exported = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
  });
  afterAll(async () => t?.close());

  const rules = () =>
    (
      parse(readFileSync(RULES, 'utf8')) as {
        groups: { rules: { alert: string; expr: string }[] }[];
      }
    ).groups.flatMap((g) => g.rules);

  it('every metric an alert rule names is exported by /metrics', () => {
    const missing: string[] = [];
    let names = 0;
    for (const rule of rules())
      for (const name of metricNames(rule.expr)) {
        names++;
        if (!BUILTIN.has(name) && !exported.has(family(name)))
          missing.push(`${rule.alert}: ${name}`);
      }
    expect(names).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });

  it('every metric a dashboard panel names is exported by /metrics', () => {
    const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dash.panels.length).toBeGreaterThan(8);
    const missing: string[] = [];
    for (const p of dash.panels)
      for (const target of p.targets)
        for (const name of metricNames(target.expr))
          if (!exported.has(family(name))) missing.push(`${p.title}: ${name}`);
    expect(missing).toEqual([]);
  });

  it('the alerts cover node down, circuit open, failing endpoints, failing and late jobs, webhook failures, approvals piling up and open incidents', () => {
    expect(rules().map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'TronNodeDown',
        'TronCircuitOpen',
        'TronNodeEndpointFailing',
        'JobFailing',
        'JobLate',
        'WebhookDeliveriesFailing',
        'ApprovalsPilingUp',
        'IncidentsUnacknowledged',
      ]),
    );
    const byName = new Map(rules().map((r) => [r.alert, r.expr]));
    expect(byName.get('ApprovalsPilingUp')).toContain('staking_approvals_pending');
    expect(byName.get('IncidentsUnacknowledged')).toContain('staking_incidents_open');
    expect(byName.get('TronNodeEndpointFailing')).toMatch(/by \(endpoint\)/);
  });

  it('the dashboard shows node calls by endpoint, cache hit ratio, approvals pending and incidents open', () => {
    const exprs = (
      JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { targets: { expr: string }[] }[] }
    ).panels.flatMap((p) => p.targets.map((t) => t.expr));
    for (const want of [
      /by \(endpoint\) \(rate\(staking_tron_node_calls_total/,
      /staking_tron_node_call_duration_seconds_bucket/,
      /staking_cache_lookups_total\{outcome="hit"\}/,
      /staking_approvals_pending/,
      /staking_incidents_open/,
    ])
      expect(exprs.some((e) => want.test(e))).toBe(true);
  });

  it('the new series are exported with bounded labels: node calls per endpoint, cache lookups per key family, the state gauges', () => {
    for (const name of [
      'staking_cache_lookups_total',
      'staking_approvals_pending',
      'staking_incidents_open',
    ])
      expect(exported.has(name)).toBe(true);
    expect(text).toMatch(
      /staking_tron_node_calls_total\{endpoint="broadcasttransaction",outcome="ok"\} 0/,
    );
    expect(text).toMatch(/staking_cache_lookups_total\{cache="resource_info",outcome="hit"\} 0/);
    expect(text).toMatch(/^staking_approvals_pending 0$/m);
    expect(text).toMatch(/staking_incidents_open\{severity="critical",status="open"\} 0/);
  });

  it('a metric name that does not exist is caught (the check itself can fail)', () => {
    expect(metricNames('sum(rate(staking_nonexistent_total{a="b"}[5m]))')).toEqual([
      'staking_nonexistent_total',
    ]);
    expect(exported.has('staking_nonexistent_total')).toBe(false);
  });

  // scripts/test.sh installs Debian's prometheus package for promtool, as it does chromium.
  it('promtool check rules passes', () => {
    expect(
      spawnSync('promtool', ['--version']).status,
      'promtool missing: apt-get install prometheus',
    ).toBe(0);
    const run = spawnSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).toMatch(/SUCCESS: \d+ rules found/);
    expect(run.status).toBe(0);
  });
});
