import { AppConfigService, ErrorCode, StakingException } from '@app/common';
import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a webhook must not reach (SSRF): "this network", loopback, RFC 1918 private,
 * carrier-grade NAT (also Alibaba's metadata 100.100.100.200), link-local (cloud metadata
 * 169.254.169.254), IETF protocol assignments, benchmarking, documentation, multicast and
 * reserved; IPv6 unspecified, loopback, unique-local (AWS metadata fd00:ec2::254), link-local,
 * multicast, documentation, and NAT64/6to4 forms that embed an IPv4 address.
 */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (::ffff:a.b.c.d). */
function embeddedIpv4(address: string): string | undefined {
  const m = /^::(?:ffff:)?(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!m) return undefined;
  if (m[1]) return m[1];
  const hi = parseInt(m[2]!, 16);
  const lo = parseInt(m[3]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Whether an IP address (v4 or v6) is internal: a webhook must not be sent there. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return INTERNAL.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: never trusted
  const v4 = embeddedIpv4(address);
  if (v4) return INTERNAL.check(v4, 'ipv4');
  return INTERNAL.check(address, 'ipv6');
}

export type HostResolver = (host: string) => Promise<string[]>;

const systemResolver: HostResolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Decides whether a webhook URL may be called: https unless WEBHOOK_ALLOW_HTTP, and every
 * address its host resolves to public unless WEBHOOK_ALLOW_PRIVATE_URLS. Checked when a
 * subscription is made and again before each delivery (a DNS answer can change after the check).
 */
@Injectable()
export class WebhookUrlGuard {
  private readonly allowPrivate: boolean;
  private readonly allowHttp: boolean;
  private resolver: HostResolver = systemResolver;

  constructor(config: AppConfigService) {
    this.allowPrivate = config.get('WEBHOOK_ALLOW_PRIVATE_URLS');
    this.allowHttp = config.get('WEBHOOK_ALLOW_HTTP');
  }

  /** Tests point host names at chosen addresses through this. */
  useResolver(resolver: HostResolver): void {
    this.resolver = resolver;
  }

  /** Throws S713/S714/S712 when the URL may not be called. */
  async check(url: URL): Promise<void> {
    if (url.protocol === 'http:' && !this.allowHttp)
      throw new StakingException(
        ErrorCode.WEBHOOK_HTTP_NOT_ALLOWED,
        'webhook url is plain http; https is required',
      );
    if (this.allowPrivate) return;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      try {
        addresses = await this.resolver(host);
      } catch {
        addresses = [];
      }
      if (!addresses.length)
        throw new StakingException(
          ErrorCode.WEBHOOK_HOST_UNRESOLVED,
          'webhook url host does not resolve',
          { host },
        );
    }
    // Every address must be public: a resolver may hand out any of them.
    if (addresses.some(isInternalAddress))
      throw new StakingException(
        ErrorCode.WEBHOOK_ADDRESS_NOT_ALLOWED,
        'webhook url host resolves to a loopback, private, link-local or metadata address',
        { host },
      );
  }
}
