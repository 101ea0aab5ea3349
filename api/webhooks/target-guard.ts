import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Callback URLs come from uploaders, so a webhook is a request the server makes on someone else's behalf (SSRF).
 * Targets on loopback, private, link-local, carrier-grade NAT, multicast and reserved ranges are refused unless the
 * operator allows them, also when written as an IPv6 address that carries such an IPv4 address; the check runs on the resolved addresses, and the request is then pinned to the address
 * that was checked, so a DNS answer that changes in between (rebinding) cannot redirect it.
 */

const blocked = new BlockList();
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
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  // Teredo: the client address inside is obfuscated, and the tunnel reaches whatever it names.
  ['2001::', 32],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

export class CallbackTargetError extends Error {
  override readonly name = 'CallbackTargetError';
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const bare = address.split('%')[0]!;
    const inner = embeddedIPv4(ipv6Bytes(bare));
    if (inner && blocked.check(inner, 'ipv4')) return true;
    return blocked.check(bare, 'ipv6');
  }
  return true;
}

/**
 * The IPv4 address an IPv6 address carries and reaches, in the forms that do: IPv4-mapped (::ffff:a.b.c.d, also
 * written ::ffff:7f00:1), IPv4-compatible (::a.b.c.d = ::7f00:1), IPv4-translated (::ffff:0:a.b.c.d) and 6to4
 * (2002:AABB:CCDD::). Any of them naming a refused IPv4 address is refused like that address.
 */
function embeddedIPv4(bytes: Buffer): string | undefined {
  const zero = (from: number, to: number) => bytes.subarray(from, to).every((b) => b === 0);
  const dotted = (at: number) => [...bytes.subarray(at, at + 4)].join('.');
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return dotted(12);
  if (zero(0, 12)) return dotted(12);
  if (zero(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(10, 12)) return dotted(12);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return dotted(2);
  return undefined;
}

/** The 16 bytes of a valid IPv6 address (node:net validates addresses but does not parse them, and no dependency of ours does). */
function ipv6Bytes(address: string): Buffer {
  let text = address.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const bytes = Buffer.alloc(16);
  all.forEach((group, i) => bytes.writeUInt16BE(Number.parseInt(group, 16), i * 2));
  return bytes;
}

/** Checks the URL's form only (scheme, no credentials); for request validation without DNS. */
export function parseCallbackUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CallbackTargetError('不是有效的网址');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CallbackTargetError('只支持 http 和 https');
  if (url.username || url.password) throw new CallbackTargetError('网址中不能含用户名或密码');
  if (raw.length > 2048) throw new CallbackTargetError('网址过长');
  return url;
}

/** The address to connect to, after checking every address the name resolves to. */
export async function resolveCallbackTarget(raw: string, allowPrivate: boolean): Promise<{ url: URL; address: string; family: 4 | 6 }> {
  const url = parseCallbackUrl(raw);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new CallbackTargetError(`无法解析主机名 ${host}`);
    }
  }
  if (addresses.length === 0) throw new CallbackTargetError(`无法解析主机名 ${host}`);
  if (!allowPrivate) {
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) throw new CallbackTargetError(`${host} 指向本机或内网地址 ${bad.address}（配置 WEBHOOK_ALLOW_PRIVATE=true 才允许）`);
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
