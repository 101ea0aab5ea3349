/** Exit codes every command keeps, so a script can trust them: 0 材料齐全, 1 需补正, 2 无法检查 or a usage error. */
export const EXIT_COMPLETE = 0;
export const EXIT_INCOMPLETE = 1;
export const EXIT_USAGE = 2;

/** 无法检查 shares code 2 with errors: in both cases nothing trustworthy was said about the dossier. */
export function exitCodeOf(outcome: 'complete' | 'needs_supplement' | 'uncheckable'): number {
  return outcome === 'complete' ? EXIT_COMPLETE : outcome === 'uncheckable' ? EXIT_USAGE : EXIT_INCOMPLETE;
}
