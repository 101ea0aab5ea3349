import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../api/webhooks/target-guard.ts';
import { bearer, multipart, startTestApi, textDossierZip, type TestApi } from './harness.ts';

/**
 * IPv6 addresses that carry an IPv4 address reach that IPv4 address (or, for tunnels, whatever the tunnel names):
 * a callback to one of them must be refused exactly like the IPv4 address it hides.
 */

const REFUSED: Array<[string, string]> = [
  ['IPv4-compatible loopback, dotted', '::127.0.0.1'],
  ['IPv4-compatible loopback, hex', '::7f00:1'],
  ['IPv4-compatible private', '::10.0.0.1'],
  ['IPv4-compatible metadata service', '::a9fe:a9fe'],
  ['IPv4-mapped loopback, dotted', '::ffff:127.0.0.1'],
  ['IPv4-mapped loopback, hex', '::ffff:7f00:1'],
  ['IPv4-mapped loopback, written out', '0:0:0:0:0:ffff:7f00:1'],
  ['IPv4-mapped private 192.168', '::ffff:c0a8:101'],
  ['IPv4-mapped carrier-grade NAT', '::ffff:100.64.0.1'],
  ['IPv4-mapped unspecified', '::ffff:0.0.0.0'],
  ['IPv4-translated loopback', '::ffff:0:127.0.0.1'],
  ['6to4 of loopback', '2002:7f00:1::'],
  ['6to4 of loopback, with host part', '2002:7f00:1::1'],
  ['6to4 of private 10/8', '2002:a00:1::'],
  ['6to4 of private 192.168', '2002:c0a8:101::1'],
  ['6to4 of the metadata service', '2002:a9fe:a9fe::'],
  ['Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
  ['NAT64 well-known prefix', '64:ff9b::7f00:1'],
  ['NAT64 local-use prefix', '64:ff9b:1::a00:1'],
  ['IPv6 loopback', '::1'],
  ['IPv6 unspecified', '::'],
  ['unique local', 'fd12:3456::1'],
  ['link local', 'fe80::1'],
  ['site local (deprecated)', 'fec0::1'],
];

const ALLOWED: Array<[string, string]> = [
  ['public IPv4', '8.8.8.8'],
  ['IPv4-mapped public', '::ffff:8.8.8.8'],
  ['6to4 of a public address', '2002:808:808::1'],
  ['public IPv6', '2400:3200::1'],
];

describe('when deciding whether an IPv6 address hides a refused one', () => {
  it.each(REFUSED)('refuses %s (%s)', (_what, address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each(ALLOWED)('allows %s (%s)', (_what, address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('when an upload asks for a callback to such an address', () => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.token('admin');
  });
  afterAll(async () => api.close());

  const upload = (callbackUrl: string) => {
    const body = multipart({ city: 'municipal-template', stage: 'filing', callbackUrl }, [{ filename: 'x.zip', content: textDossierZip() }]);
    return api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(admin), ...body.headers }, payload: body.payload });
  };

  it.each(REFUSED)('answers 400 CALLBACK_URL_REFUSED for %s', async (_what, address) => {
    const response = await upload(`http://[${address}]:8080/hook`);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.code).toBe('CALLBACK_URL_REFUSED');
  });

  it('accepts an IPv6 literal that names a public address', async () => {
    const response = await upload('http://[2002:808:808::1]/hook');
    expect(response.statusCode, response.body).toBe(202);
    await api.processor.idle();
  });
});
