import { z } from 'zod';

/** A term quoted from a seed regulation, with the article that uses it. */
export const SeedTermSchema = z.object({
  term: z.string().min(1),
  /** e.g. "changde 第十七条" */
  cite: z.string().min(1),
});

export const DocTypeIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/);

export const DocTypeSchema = z.object({
  id: DocTypeIdSchema,
  /** Canonical Chinese name, e.g. 可行性研究报告. */
  name: z.string().min(1),
  /** Terms from the seeds, exactly as quoted in requirements.md §1.1 (normalised to Simplified for matching). */
  seedTerms: z.array(SeedTermSchema),
  /** Real-world spellings (never cited as seed requirements). */
  variants: z.array(z.string()),
  /**
   * Title phrases, Simplified Chinese, matched as substrings of a normalised title line.
   * Longer phrases are more specific; the classifier prefers the longest match.
   */
  titleTerms: z.array(z.string().min(1)).min(1),
  /** Title phrases that, when present, veto this type for that title (e.g. 批复 vetoes feasibility_report). */
  titleExclusions: z.array(z.string()).default([]),
  /** Body phrases typical of the type (§1.2 content markers); used to break ties and support weak titles. */
  contentMarkers: z.array(z.string()).default([]),
  /** Short description for people (from §1.1 "What it is"). */
  description: z.string(),
  /** Stages and cities where it is required, as written in §1.1 (informational). */
  stages: z.string().default(''),
});
export type DocType = z.infer<typeof DocTypeSchema>;

export const CatalogueSchema = z.object({
  schemaVersion: z.literal(1),
  docTypes: z.array(DocTypeSchema),
});
export type Catalogue = z.infer<typeof CatalogueSchema>;
