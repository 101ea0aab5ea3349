import { z } from 'zod';

/**
 * One seal found on a page, whatever it came from: a red impression on a scan or photo, an OFD 电子签章, or a PDF
 * signature field. Rules read seals from here only (see `sealsOf`).
 */
export const SealShapeSchema = z.enum(['round', 'oval', 'square']);

export const SealRecordSchema = z.object({
  source: z.enum(['scan', 'ofd-signature', 'pdf-signature']),
  /** Electronic seals and signatures are read from the file's structure, not from pixels. */
  electronic: z.boolean(),
  /** 1-based page; absent when the file does not say where an electronic signature sits. */
  page: z.number().int().positive().optional(),
  /** Where on the page, as fractions of its width and height (0–1). */
  box: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).optional(),
  shape: SealShapeSchema.optional(),
  /** Round seal with the five-pointed star in its middle (公章). */
  star: z.boolean().optional(),
  /** Stamped across the page edge (骑缝章): only part of the seal is on this page, its text is not read. */
  cutAtEdge: z.enum(['left', 'right', 'top', 'bottom']).optional(),
  /** Mean strength of the red ink, 0–1 (faint stamps ~0.15, strong ones ~0.5). */
  inkStrength: z.number().min(0).max(1).optional(),
  /** The detector is sure this is a seal (clear border); otherwise it is a possible seal. */
  sure: z.boolean(),
  /** Text along the rim, unwrapped and read left to right (round/oval), or a square seal's characters column by column. */
  rimText: z.string().optional(),
  /** OCR confidence of the rim text, 0–100. */
  rimConfidence: z.number().min(0).max(100).optional(),
  /** The line in the middle or below the star (…专用章). */
  centreText: z.string().optional(),
  centreConfidence: z.number().min(0).max(100).optional(),
  /** Which engine read the rim and centre text: PP-OCRv4's line recogniser, or tesseract where its model is missing. */
  textEngine: z.enum(['ppocr-v4-rec', 'tesseract']).optional(),
  /** Electronic: the seal's own name (GM/T 0031 property name). */
  name: z.string().optional(),
  /** Electronic: who signed (the certificate's subject, or the PDF signature's /Name). */
  signer: z.string().optional(),
  signedAt: z.string().optional(),
  /** A small PNG of the seal as found on the page (data: URL), to show beside its text. */
  crop: z.string().optional(),
  /** Electronic seals are read, not verified. */
  verified: z.literal(false).optional(),
});
export type SealRecord = z.infer<typeof SealRecordSchema>;

/**
 * Which pages the seal detector looked at. A page is monochrome when its image carries no colour at all (a grey or
 * black-and-white scan): a red seal cannot be told from black print there, so its absence proves nothing.
 */
export const SealScanSchema = z.object({
  checkedPages: z.array(z.number().int().positive()),
  monochromePages: z.array(z.number().int().positive()),
});
export type SealScan = z.infer<typeof SealScanSchema>;
