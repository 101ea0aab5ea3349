import type { Catalogue, DocTypeGroupName } from './catalogue-schema.ts';

/**
 * Reading the catalogue's doc-type groups (checklists/catalogue.yaml `groups`, `documentPrecedence`): code asks
 * whether a file belongs to a group by the group's name and never lists doc-type ids itself.
 */

/** The doc types of a group. */
export function docTypeGroup(catalogue: Pick<Catalogue, 'groups'>, group: DocTypeGroupName): readonly string[] {
  return catalogue.groups[group].docTypes;
}

/** True when any of a file's doc types is in the group. */
export function inDocTypeGroup(catalogue: Pick<Catalogue, 'groups'>, group: DocTypeGroupName, docTypes: readonly string[]): boolean {
  const members = catalogue.groups[group].docTypes;
  return docTypes.some((t) => members.includes(t));
}

/**
 * A file's tier in `documentPrecedence`: 0 for the best (approval documents), then 1, 2, …; a file in none of the
 * tiers ranks after the last.
 */
export function documentRank(catalogue: Pick<Catalogue, 'groups' | 'documentPrecedence'>, docTypes: readonly string[]): number {
  const tier = catalogue.documentPrecedence.findIndex((groups) => groups.some((group) => inDocTypeGroup(catalogue, group, docTypes)));
  return tier === -1 ? catalogue.documentPrecedence.length : tier;
}
