import type { Principal } from './tokens.ts';

/**
 * Who may see what. A dossier or batch the caller may not see is answered exactly like one that does not exist
 * (404), so ids cannot be probed.
 *
 *   admin    everything
 *   officer  everything of its jurisdiction (the checklist id the dossier was checked against)
 *   unit     what its unit submitted
 */
export interface OwnedResource {
  city: string;
  owner: { unit?: string; tokenId: string };
}

export function canSee(principal: Principal, resource: OwnedResource): boolean {
  switch (principal.role) {
    case 'admin':
      return true;
    case 'officer':
      return principal.jurisdiction === resource.city;
    case 'unit':
      return principal.unit !== undefined && principal.unit === resource.owner.unit;
  }
}

/** Deleting is for the submitter and admins; an officer reviews but does not throw a unit's submission away. */
export function canDelete(principal: Principal, resource: OwnedResource): boolean {
  return principal.role === 'admin' || (principal.role === 'unit' && canSee(principal, resource));
}
