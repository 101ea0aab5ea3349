import type { ElectronicSeal } from '../model.ts';
import type { SealRecord } from './schema.ts';

/** Every seal a document carries, scanned and electronic alike (OFD signatures come from `electronicSeals`). */
export function sealsOf(doc: { seals?: readonly SealRecord[]; electronicSeals?: readonly ElectronicSeal[] }): SealRecord[] {
  const electronic: SealRecord[] = (doc.electronicSeals ?? []).map((e) => ({
    source: e.source === 'ofd-signature' ? 'ofd-signature' : 'pdf-signature',
    electronic: true,
    sure: true,
    ...(e.page ? { page: e.page } : {}),
    ...(e.name ? { name: e.name, rimText: e.name } : {}),
    ...(e.signer ? { signer: e.signer } : {}),
    ...(e.signedAt ? { signedAt: e.signedAt } : {}),
    verified: false,
  }));
  return [...(doc.seals ?? []), ...electronic];
}
