import type { FastifyRequest } from 'fastify';
import { principalOf } from '../auth/authenticate.ts';
import type { AuditAction, AuditEntry, SqlAuditLog } from './records-table.ts';

/**
 * Who uploaded, declared, corrected, re-checked, shared, viewed, generated a notice, supplemented or deleted a dossier,
 * and when. Written to the database's audit log; without a database (object storage alone) nothing is kept and
 * `available` says so.
 */
export class AuditTrail {
  constructor(private readonly log?: SqlAuditLog) {}

  get available(): boolean {
    return this.log !== undefined;
  }

  /** Records one action of the request's caller. An audit write never fails the action itself: it is logged instead. */
  async record(request: FastifyRequest, action: AuditAction, dossierId: string | null, detail: Record<string, unknown> = {}): Promise<void> {
    if (!this.log) return;
    let actor = '分享链接';
    let role = 'share';
    try {
      const principal = principalOf(request);
      actor = principal.name ?? principal.tokenId;
      role = principal.role;
    } catch {
      // A share-link request has no token: it is recorded as the link.
    }
    await this.log.record({ actor, role, action, dossierId, detail }).catch((error: unknown) => request.log.error({ err: error, action, dossierId }, 'audit log write failed'));
  }

  async forDossier(dossierId: string): Promise<AuditEntry[]> {
    return this.log ? this.log.forDossier(dossierId) : [];
  }
}
