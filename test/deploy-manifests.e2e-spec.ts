import { SENSITIVE_ENV_KEYS, validateEnv } from '@app/common';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * docker/: the Dockerfile, the Compose file and the Kubernetes manifests, checked without a
 * Docker engine or a cluster: every YAML file parses, and the properties the deployment relies on
 * (probes, non-root, read-only filesystem, secrets kept out of ConfigMaps, labels that select the
 * pods, the image's health check) hold.
 */

const ROOT = process.cwd();
const DOCKER = join(ROOT, 'docker');
const K8S = join(DOCKER, 'k8s');
const API_PORT = 8095;

type Labels = Record<string, string>;
interface Meta {
  name: string;
  namespace?: string;
  labels?: Labels;
  annotations?: Record<string, string>;
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: Meta;
}
interface Probe {
  httpGet?: { path: string; port: number | string };
  periodSeconds?: number;
  failureThreshold?: number;
}
interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number }; exec?: { command: string[] } } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Volume {
  name: string;
  emptyDir?: Record<string, unknown>;
  persistentVolumeClaim?: { claimName: string };
}
interface Deployment extends K8sObject {
  spec: {
    replicas: number;
    strategy: { type: string; rollingUpdate?: { maxSurge?: number; maxUnavailable?: number } };
    selector: { matchLabels: Labels };
    template: {
      metadata: { labels: Labels; annotations?: Record<string, string> };
      spec: {
        terminationGracePeriodSeconds?: number;
        automountServiceAccountToken?: boolean;
        serviceAccountName?: string;
        securityContext?: {
          runAsNonRoot?: boolean;
          runAsUser?: number;
          seccompProfile?: { type: string };
        };
        topologySpreadConstraints?: { labelSelector: { matchLabels: Labels } }[];
        affinity?: { podAntiAffinity?: unknown };
        containers: Container[];
        volumes?: Volume[];
      };
    };
  };
}
interface Service extends K8sObject {
  spec: { selector: Labels; ports: { port: number; targetPort: number | string }[] };
}
interface Pdb extends K8sObject {
  spec: { selector: { matchLabels: Labels }; minAvailable?: number; maxUnavailable?: number };
}
interface Hpa extends K8sObject {
  spec: {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
    metrics: { type: string; resource?: { name: string } }[];
  };
}
interface NetworkPolicy extends K8sObject {
  spec: {
    podSelector: { matchLabels: Labels };
    ingress?: { ports?: { port: number | string }[] }[];
  };
}
interface DataObject extends K8sObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
interface Kustomization {
  namespace?: string;
  resources: string[];
}
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  read_only?: boolean;
  tmpfs?: string[] | string;
  cap_drop?: string[];
  security_opt?: string[];
  volumes?: string[];
  user?: string;
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

function loadK8s(): K8sObject[] {
  return readdirSync(K8S)
    .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
    .flatMap((f) => parseAllDocuments(readFileSync(join(K8S, f), 'utf8')).map((d) => d.toJS()))
    .filter((o): o is K8sObject => o !== null && typeof o === 'object');
}

function only<T extends K8sObject>(objects: K8sObject[], kind: string): T {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}, found ${found.length}`);
  return found[0] as T;
}

/** Every variable `.env.example` documents (`NAME=` at the start of a line). */
function envExampleKeys(): Set<string> {
  const text = readFileSync(join(ROOT, '.env.example'), 'utf8');
  return new Set([...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
}

function matches(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Dockerfile instructions, comments dropped and continuation lines joined. */
interface Instruction {
  op: string;
  args: string;
}
function dockerfile(): { globalArgs: Instruction[]; stages: Instruction[][] } {
  const lines = readFileSync(join(DOCKER, 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((l) => !/^\s*#/.test(l));
  const instructions: Instruction[] = [];
  let current = '';
  for (const line of lines) {
    current += line.replace(/\\\s*$/, ' ');
    if (/\\\s*$/.test(line)) continue;
    const text = current.trim();
    current = '';
    if (!text) continue;
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(text)!;
    instructions.push({ op: op!.toUpperCase(), args: args!.replace(/\s+/g, ' ') });
  }
  const firstFrom = instructions.findIndex((i) => i.op === 'FROM');
  const stages: Instruction[][] = [];
  for (const i of instructions.slice(firstFrom)) {
    if (i.op === 'FROM') stages.push([]);
    stages.at(-1)!.push(i);
  }
  return { globalArgs: instructions.slice(0, firstFrom), stages };
}

/** `KEY=value KEY2=value` pairs of an ENV or LABEL instruction. */
function pairs(args: string): Record<string, string> {
  return Object.fromEntries(
    [...args.matchAll(/([\w.-]+)=("[^"]*"|\S*)/g)].map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, '')]),
  );
}

/** Compose-style `${VAR}`, `${VAR:-default}` and `${VAR:?message}` with the given values. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\{(\w+)(?::?([-?])([^}]*))?\}/g,
    (_, name: string, op?: string, arg = '') => {
      if (vars[name] !== undefined) return vars[name]!;
      if (op === '?') throw new Error(`${name} is required: ${arg}`);
      return op === '-' ? arg : '';
    },
  );
}

function runNode(script: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { env, timeout: 15_000 }, (error) => {
      resolve(error ? (typeof error.code === 'number' ? error.code : 1) : 0);
    });
  });
}

describe('deployment files under docker/', () => {
  it('every YAML file parses cleanly', () => {
    const files = yamlFiles(DOCKER);
    expect(files.map((f) => relative(DOCKER, f)).sort()).toEqual(
      expect.arrayContaining([
        'docker-compose.yml',
        'k8s/deployment.yaml',
        'k8s/kustomization.yaml',
      ]),
    );
    for (const file of files) {
      const docs = parseAllDocuments(readFileSync(file, 'utf8'));
      expect(docs.length, relative(ROOT, file)).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(
          doc.errors.map((e) => e.message),
          relative(ROOT, file),
        ).toEqual([]);
        expect(
          doc.warnings.map((e) => e.message),
          relative(ROOT, file),
        ).toEqual([]);
        expect(doc.toJS(), relative(ROOT, file)).toBeTypeOf('object');
      }
    }
  });

  describe('Kubernetes manifests', () => {
    const objects = loadK8s();
    const deployment = only<Deployment>(objects, 'Deployment');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0]!;
    const podLabels = deployment.spec.template.metadata.labels;
    const configMap = only<DataObject>(objects, 'ConfigMap');
    const secret = only<DataObject>(objects, 'Secret');
    const kustomization = parse(
      readFileSync(join(K8S, 'kustomization.yaml'), 'utf8'),
    ) as Kustomization;

    /** A probe's or Service's port, named ports resolved through the container's ports. */
    const containerPort = (port: number | string): number | undefined =>
      typeof port === 'number'
        ? port
        : container.ports?.find((p) => p.name === port)?.containerPort;

    it('kustomization.yaml lists every manifest but the Secret template', () => {
      const manifests = readdirSync(K8S).filter(
        (f) => /\.ya?ml$/.test(f) && !['kustomization.yaml', 'secret.example.yaml'].includes(f),
      );
      expect([...kustomization.resources].sort()).toEqual(manifests.sort());
      expect(kustomization.resources).not.toContain('secret.example.yaml');
      const namespace = only<K8sObject>(objects, 'Namespace');
      expect(kustomization.namespace).toBe(namespace.metadata.name);
      expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
      for (const o of objects) {
        expect(o.apiVersion, o.kind).toBeTruthy();
        expect(o.metadata?.name, o.kind).toBeTruthy();
        if (o.metadata.namespace) expect(o.metadata.namespace).toBe(namespace.metadata.name);
      }
    });

    it('Deployment: 3 replicas, a rolling update that keeps capacity, selector matching its pods', () => {
      expect(deployment.spec.replicas).toBe(3);
      expect(deployment.spec.strategy.type).toBe('RollingUpdate');
      expect(deployment.spec.strategy.rollingUpdate?.maxUnavailable).toBe(0);
      expect(matches(deployment.spec.selector.matchLabels, podLabels)).toBe(true);
      expect(container.ports?.map((p) => p.containerPort)).toEqual([API_PORT]);
      expect(container.resources?.requests).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container.resources?.limits?.memory).toBeTruthy();
    });

    it('Deployment probes: startup and liveness on /health/live, readiness on /health/ready, port 8095', () => {
      const probe = (p: Probe | undefined) => ({
        path: p?.httpGet?.path,
        port: containerPort(p?.httpGet?.port ?? -1),
      });
      expect(probe(container.startupProbe)).toEqual({ path: '/health/live', port: API_PORT });
      expect(probe(container.livenessProbe)).toEqual({ path: '/health/live', port: API_PORT });
      expect(probe(container.readinessProbe)).toEqual({ path: '/health/ready', port: API_PORT });
      const startupBudget =
        (container.startupProbe!.periodSeconds ?? 10) *
        (container.startupProbe!.failureThreshold ?? 3);
      expect(startupBudget).toBeGreaterThanOrEqual(120);
    });

    it('Deployment security: non-root, read-only root filesystem, no privilege escalation, no capabilities', () => {
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      expect(pod.securityContext?.runAsUser).toBe(65532);
      expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      expect(container.securityContext?.capabilities?.drop).toContain('ALL');
      const serviceAccount = only<K8sObject>(objects, 'ServiceAccount');
      expect(pod.serviceAccountName).toBe(serviceAccount.metadata.name);
    });

    it('Deployment volumes: /tmp is an emptyDir, the audit archive a mounted PersistentVolumeClaim', () => {
      const volumeAt = (path: string) => {
        const mount = container.volumeMounts?.find((m) => m.mountPath === path);
        return pod.volumes?.find((v) => v.name === mount?.name);
      };
      expect(volumeAt('/tmp')?.emptyDir).toBeDefined();
      const archive = volumeAt(configMap.data!.AUDIT_ARCHIVE_DIR!);
      const pvc = only<K8sObject>(objects, 'PersistentVolumeClaim');
      expect(archive?.persistentVolumeClaim?.claimName).toBe(pvc.metadata.name);
    });

    it('Deployment: environment from the ConfigMap and the Secret, graceful shutdown, scraping, spreading', () => {
      expect(container.envFrom).toEqual(
        expect.arrayContaining([
          { configMapRef: { name: configMap.metadata.name } },
          { secretRef: { name: secret.metadata.name } },
        ]),
      );
      const preStop = container.lifecycle?.preStop;
      expect(preStop?.sleep ?? preStop?.exec).toBeDefined();
      const pause = preStop?.sleep?.seconds ?? 0;
      const shutdown = Number(configMap.data!.SHUTDOWN_TIMEOUT_MS) / 1000;
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(pause + shutdown);
      expect(deployment.spec.template.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(API_PORT),
        'prometheus.io/path': '/metrics',
      });
      const spread = pod.topologySpreadConstraints ?? [];
      expect(spread.length > 0 || pod.affinity?.podAntiAffinity !== undefined).toBe(true);
      for (const c of spread) expect(matches(c.labelSelector.matchLabels, podLabels)).toBe(true);
    });

    it('Service, PodDisruptionBudget, HPA and NetworkPolicy all point at the Deployment and its pods', () => {
      const service = only<Service>(objects, 'Service');
      expect(matches(service.spec.selector, podLabels)).toBe(true);
      expect(service.spec.ports.map((p) => containerPort(p.targetPort))).toEqual([API_PORT]);

      const pdb = only<Pdb>(objects, 'PodDisruptionBudget');
      expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      expect(pdb.spec.minAvailable === 2 || pdb.spec.maxUnavailable === 1).toBe(true);

      const hpa = only<Hpa>(objects, 'HorizontalPodAutoscaler');
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: deployment.metadata.name,
      });
      expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 10]);
      expect(hpa.spec.metrics.map((m) => m.resource?.name).sort()).toEqual(['cpu', 'memory']);

      const policy = only<NetworkPolicy>(objects, 'NetworkPolicy');
      expect(matches(policy.spec.podSelector.matchLabels, podLabels)).toBe(true);
      const ingressPorts = policy.spec.ingress?.flatMap((r) => r.ports ?? []) ?? [];
      expect(ingressPorts.map((p) => containerPort(p.port))).toContain(API_PORT);
    });

    it('Secret template and ConfigMap: only variables of .env.example, secrets only in the Secret', () => {
      const documented = envExampleKeys();
      const secretKeys = Object.keys({ ...secret.data, ...secret.stringData });
      const configKeys = Object.keys(configMap.data ?? {});
      for (const key of [...secretKeys, ...configKeys]) expect(documented, key).toContain(key);

      expect(secretKeys).toEqual(
        expect.arrayContaining([
          'JWT_SECRET',
          'KEYSTORE_MASTER_SECRET',
          'MONGODB_URI',
          'REDIS_URL',
          'TRON_API_KEY',
          'ADMIN_PASSWORD',
          ...SENSITIVE_ENV_KEYS,
        ]),
      );
      for (const key of secretKeys)
        expect(SENSITIVE_ENV_KEYS as readonly string[], key).toContain(key);
      for (const key of SENSITIVE_ENV_KEYS) expect(configKeys).not.toContain(key);

      // Everything else is configured explicitly (KEYSTORE_MASTER_SECRET_FILE is the alternative
      // to the Secret's KEYSTORE_MASTER_SECRET).
      const unset = [...documented].filter(
        (k) => !secretKeys.includes(k) && !configKeys.includes(k),
      );
      expect(unset).toEqual(['KEYSTORE_MASTER_SECRET_FILE']);
    });

    it('the ConfigMap passes the service config validation once real secrets replace the placeholders', () => {
      const template = { ...secret.data, ...secret.stringData };
      const filled = Object.fromEntries(
        Object.entries(template).map(([k, v]) => [k, v.replaceAll('CHANGE_ME', 'x'.repeat(40))]),
      );
      const env = validateEnv({ ...configMap.data, ...filled });
      expect(env.NODE_ENV).toBe('production');
      expect(env.PORT).toBe(API_PORT);
      expect(env.MONGODB_URI).toContain('replicaSet=');
      // The unedited template must not start: its JWT_SECRET is too short.
      expect(() => validateEnv({ ...configMap.data, ...template })).toThrow(/JWT_SECRET/);
    });
  });

  describe('docker-compose.yml', () => {
    const compose = parse(readFileSync(join(DOCKER, 'docker-compose.yml'), 'utf8')) as Compose;
    const { mongo, redis, devnet, api } = compose.services;
    const testSecrets = {
      JWT_SECRET: 'j'.repeat(40),
      KEYSTORE_MASTER_SECRET: 'k'.repeat(40),
      ADMIN_PASSWORD: 'a-first-admin-password',
    };
    const apiEnv = () =>
      Object.fromEntries(
        Object.entries(api!.environment!).map(([k, v]) => [k, interpolate(String(v), testSecrets)]),
      );

    it('has mongo, redis, devnet and api, each with a health check', () => {
      for (const name of ['mongo', 'redis', 'devnet', 'api']) {
        const test = compose.services[name]?.healthcheck?.test;
        expect(test, name).toBeDefined();
        expect(test!.length, name).toBeGreaterThan(0);
      }
    });

    it('MongoDB 7 runs as a replica set that its health check initiates', () => {
      expect(mongo!.image).toMatch(/^mongo:7/);
      expect([mongo!.command].flat().join(' ')).toMatch(/--replSet rs0/);
      const check = [mongo!.healthcheck!.test].flat().join(' ');
      expect(check).toContain('rs.initiate');
      expect(check).toContain("'rs0'");
      expect(redis!.image).toMatch(/^redis:7/);
    });

    it('builds the devnet and the API from docker/Dockerfile with the APP build argument', () => {
      for (const [service, app] of [
        [devnet!, 'tron-devnet'],
        [api!, 'staking-api'],
      ] as const) {
        expect(service.build).toMatchObject({
          context: '..',
          dockerfile: 'docker/Dockerfile',
          args: { APP: app },
        });
      }
      expect(devnet!.environment).toMatchObject({ DEVNET_HOST: '0.0.0.0' });
    });

    it('the API starts after the others are healthy and runs read-only, without capabilities', () => {
      expect(api!.depends_on).toEqual({
        mongo: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        devnet: { condition: 'service_healthy' },
      });
      for (const [name, service] of Object.entries({ api, devnet })) {
        expect(service!.read_only, name).toBe(true);
        expect(
          [service!.tmpfs].flat().some((t) => t === '/tmp' || t?.startsWith('/tmp:')),
          name,
        ).toBe(true);
        expect(service!.cap_drop, name).toContain('ALL');
        expect(service!.security_opt, name).toContain('no-new-privileges:true');
      }
      expect([api!.healthcheck!.test].flat().join(' ')).toMatch(/\/health\/(live|ready)/);
    });

    it('the API gets every variable of .env.example; secrets come from the environment', () => {
      const documented = envExampleKeys();
      expect(Object.keys(api!.environment!).sort()).toEqual([...documented].sort());
      for (const key of SENSITIVE_ENV_KEYS) {
        expect(String(api!.environment![key]), key).toMatch(/^\$\{/);
      }
      for (const key of Object.keys(testSecrets)) {
        expect(api!.environment![key], key).toMatch(new RegExp(`^\\$\\{${key}:\\?`));
      }
      expect(() =>
        Object.values(api!.environment!).forEach((v) => interpolate(String(v), {})),
      ).toThrow(/is required/);
    });

    it('the API environment is valid and points at the compose services', () => {
      const env = validateEnv(apiEnv());
      expect(env.NODE_ENV).toBe('production');
      const mongoUri = new URL(env.MONGODB_URI);
      expect(mongoUri.host).toBe('mongo:27017');
      expect(mongoUri.searchParams.get('replicaSet')).toBe('rs0');
      expect(new URL(env.REDIS_URL).hostname).toBe('redis');
      expect(new URL(env.TRON_FULL_HOST).host).toBe(`devnet:${devnet!.environment!.DEVNET_PORT}`);
    });

    it('the audit archive is a named volume mounted where AUDIT_ARCHIVE_DIR points', () => {
      const dir = apiEnv().AUDIT_ARCHIVE_DIR;
      const mount = api!.volumes?.find((v) => v.split(':')[1] === dir);
      expect(mount).toBeDefined();
      expect(Object.keys(compose.volumes ?? {})).toContain(mount!.split(':')[0]);
      for (const [name, service] of Object.entries(compose.services)) {
        for (const v of service.volumes ?? []) {
          expect(Object.keys(compose.volumes ?? {}), `${name}: ${v}`).toContain(v.split(':')[0]);
        }
      }
    });
  });

  describe('Dockerfile', () => {
    const { globalArgs, stages } = dockerfile();
    const final = stages.at(-1)!;
    const ops = (op: string) => final.filter((i) => i.op === op);
    const stageName = (stage: Instruction[]) => / AS (\S+)$/i.exec(stage[0]!.args)?.[1];

    it('is multi-stage, with a distroless or slim Node 20 runtime', () => {
      expect(stages.length).toBeGreaterThanOrEqual(3);
      const defaults = Object.fromEntries(
        globalArgs.filter((i) => i.op === 'ARG').map((i) => i.args.split('=') as [string, string]),
      );
      const base = final[0]!.args
        .split(' ')[0]!
        .replace(/\$\{(\w+)\}/g, (_, n: string) => defaults[n] ?? '');
      expect(base).toMatch(
        /^(gcr\.io\/distroless\/nodejs20-debian12:nonroot|node:20(\.\d+)*-bookworm-slim)(@sha256:[0-9a-f]+)?$/,
      );
    });

    it('installs dependencies with npm ci, and only production ones for the runtime', () => {
      const runs = stages.flat().filter((i) => i.op === 'RUN');
      expect(runs.some((r) => /\bnpm ci\b/.test(r.args) && !r.args.includes('--omit=dev'))).toBe(
        true,
      );
      // The final stage installs nothing: it copies node_modules from a production-only stage.
      for (const run of ops('RUN')) expect(run.args).not.toMatch(/\bnpm (i|install|ci)\b/);
      const copy = ops('COPY').find((i) => /node_modules/.test(i.args));
      const from = /--from=(\S+)/.exec(copy?.args ?? '')?.[1];
      const source = stages.find((s) => stageName(s) === from);
      expect(source, `stage ${from}`).toBeDefined();
      const install = source!
        .filter((i) => i.op === 'RUN')
        .map((i) => i.args)
        .join(' ');
      expect(install).toMatch(/npm ci\b.*--omit=dev/);
    });

    it('builds the app chosen by the APP build argument, staking-api by default', () => {
      const build = stages.find((s) => s.some((i) => /nest build/.test(i.args)))!;
      expect(build.find((i) => i.op === 'ARG')?.args).toBe('APP=staking-api');
      const run = build.find((i) => /nest build/.test(i.args))!.args;
      expect(run).toContain('nest build "$APP"');
      expect(run).toContain('dist/apps/$APP/src/main.js');
      expect(existsSync(join(ROOT, 'apps/staking-api/src/main.ts'))).toBe(true);
    });

    it('runtime: non-root user, production environment, config and package.json beside the code', () => {
      const user = ops('USER').at(-1)?.args;
      expect(user).toBeDefined();
      expect(user!.split(':')[0]).not.toMatch(/^(root|0)$/);
      expect(user).toMatch(/^65532(:65532)?$/);
      const env = Object.assign({}, ...ops('ENV').map((i) => pairs(i.args))) as Labels;
      expect(env.NODE_ENV).toBe('production');
      expect(env.AUDIT_ARCHIVE_DIR).toBe('/var/lib/tron-staking/audit-archive');
      expect(ops('EXPOSE').map((i) => i.args)).toContain(String(API_PORT));
      const copies = ops('COPY').map((i) => i.args);
      expect(copies).toContain('config ./config');
      expect(copies).toContain('package.json ./');
      expect(ops('WORKDIR').at(-1)?.args).toBe('/app');
      const labels = Object.assign({}, ...ops('LABEL').map((i) => pairs(i.args))) as Labels;
      for (const key of ['title', 'description', 'version', 'revision', 'source', 'licenses']) {
        expect(Object.keys(labels)).toContain(`org.opencontainers.image.${key}`);
      }
      const command = [...ops('ENTRYPOINT'), ...ops('CMD')].map((i) => i.args).join(' ');
      expect(command).toContain('dist/entrypoint.js');
    });

    describe('HEALTHCHECK', () => {
      const healthcheck = ops('HEALTHCHECK')[0]!;
      const exec = JSON.parse(healthcheck.args.slice(healthcheck.args.indexOf('['))) as string[];
      const script = exec[exec.indexOf('-e') + 1]!;
      let server: Server;
      let port: number;
      let status = 200;
      const asked: string[] = [];

      beforeAll(async () => {
        server = createServer((req, res) => {
          asked.push(req.url!);
          res.statusCode =
            req.url === '/health/live' || req.url === '/wallet/getnowblock' ? status : 404;
          res.end('{}');
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        port = (server.address() as AddressInfo).port;
      });
      afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

      it('asks /health/live with Node (no curl in distroless)', () => {
        expect(healthcheck.args).toContain('/health/live');
        expect(healthcheck.args).toMatch(/CMD \["\/nodejs\/bin\/node", "-e"/);
      });

      it('is healthy on 200 and unhealthy on 503 or when nothing listens', async () => {
        const env = { APP: 'staking-api', PORT: String(port) };
        status = 200;
        expect(await runNode(script, env)).toBe(0);
        status = 503;
        expect(await runNode(script, env)).toBe(1);
        expect(asked.slice(-2)).toEqual(['/health/live', '/health/live']);
        const closed = createServer();
        await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
        const closedPort = (closed.address() as AddressInfo).port;
        await new Promise<void>((resolve) => closed.close(() => resolve()));
        expect(await runNode(script, { APP: 'staking-api', PORT: String(closedPort) })).toBe(1);
      });

      it('asks the devnet image for its head block', async () => {
        status = 200;
        expect(await runNode(script, { APP: 'tron-devnet', DEVNET_PORT: String(port) })).toBe(0);
        expect(asked.at(-1)).toBe('/wallet/getnowblock');
      });
    });

    it('Dockerfile.dockerignore keeps local state and secrets out of the build context', () => {
      const ignored = readFileSync(join(DOCKER, 'Dockerfile.dockerignore'), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'));
      for (const entry of ['dist', '.local', '.git', 'coverage', '.env']) {
        expect(ignored).toContain(entry);
      }
      expect(ignored.some((e) => /^(\*\*\/)?node_modules$/.test(e))).toBe(true);
      expect(ignored.some((e) => /^(\*\*\/)?\*\.log$/.test(e))).toBe(true);
      // What the image needs stays in.
      for (const needed of ['config', 'package.json', 'package-lock.json', 'apps', 'libs']) {
        expect(ignored).not.toContain(needed);
      }
    });
  });
});
