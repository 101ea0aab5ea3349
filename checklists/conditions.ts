/** The condition language now lives in checklists/conditions/ (parse, bind, evaluate, describe); this path stays for callers outside checklists/. */
export * from './conditions/index.ts';
