import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Callback URLs come from uploaders, so a webhook is a request the server makes on someone else's behalf (SSRF).
 * Targets on loopback, private, link-local, carrier-grade NAT, multicast and reserved ranges are refused unless the
 * operator allows them; the check runs on the resolved addresses, and the request is then pinned to the address
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
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
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
    // IPv4-mapped (::ffff:10.0.0.1) and IPv4-compatible forms reach the IPv4 address behind them.
    const mapped = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
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
