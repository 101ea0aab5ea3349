/**
 * Reads the seal name and the signer out of GM/T 0031 electronic-seal structures (an OFD's `Seal.esl`, or the seal
 * embedded in `SignedValue.dat`) by walking the DER encoding. Nothing is verified here: no cryptography library is
 * needed to find two strings, and a checker that only records evidence must not pretend to have checked a signature.
 *
 * SES_Seal (V1 and V4 alike) starts SEQUENCE { SEQUENCE sealInfo { SEQUENCE header { IA5String "ES", INTEGER version,
 * IA5String vid }, IA5String esID, SEQUENCE property { INTEGER type, UTF8String name, … } … } … }.
 * SES_Signature carries the signer's X.509 certificate as an OCTET STRING outside the embedded seal.
 */

interface DerNode {
  tag: number;
  constructed: boolean;
  /** Content bytes. */
  value: Buffer;
  children: DerNode[];
}

const MAX_DEPTH = 24;
const MAX_NODES = 20_000;

const TAG = {
  integer: 0x02,
  octetString: 0x04,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Parses DER (definite lengths only) into a tree; returns undefined for anything that is not. */
function parseDer(bytes: Buffer, budget = { nodes: MAX_NODES }, depth = 0): DerNode[] | undefined {
  const nodes: DerNode[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (--budget.nodes < 0 || depth > MAX_DEPTH) return undefined;
    const tag = bytes[offset]!;
    if ((tag & 0x1f) === 0x1f) return undefined; // high tag numbers do not occur in these structures
    let length = bytes[offset + 1];
    if (length === undefined) return undefined;
    let header = 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 4 || offset + 2 + count > bytes.length) return undefined;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i]!;
      header += count;
    }
    const end = offset + header + length;
    if (end > bytes.length) return undefined;
    const value = bytes.subarray(offset + header, end);
    const constructed = (tag & 0x20) !== 0;
    let children: DerNode[] = [];
    if (constructed) {
      const parsed = parseDer(value, budget, depth + 1);
      if (!parsed) return undefined;
      children = parsed;
    }
    nodes.push({ tag, constructed, value, children });
    offset = end;
  }
  return nodes;
}

function parseOne(bytes: Buffer): DerNode | undefined {
  const nodes = parseDer(bytes);
  return nodes && nodes.length >= 1 ? nodes[0] : undefined;
}

function stringOf(node: DerNode | undefined): string | undefined {
  if (!node) return undefined;
  let text: string | undefined;
  if (node.tag === TAG.utf8String || node.tag === TAG.printableString || node.tag === TAG.ia5String) text = node.value.toString('utf8');
  else if (node.tag === TAG.bmpString && node.value.length % 2 === 0) text = Buffer.from(node.value).swap16().toString('utf16le');
  text = text?.replace(/\0/g, '').trim();
  return text ? text : undefined;
}

/** SES_Seal: its sealInfo's header begins with IA5String "ES". */
function isSeal(node: DerNode): boolean {
  const header = node.children[0]?.children[0];
  const first = header?.children[0];
  return node.tag === TAG.sequence && header?.tag === TAG.sequence && first?.tag === TAG.ia5String && first.value.toString('latin1') === 'ES';
}

function findSeal(node: DerNode, depth = 0): DerNode | undefined {
  if (isSeal(node)) return node;
  if (depth > 4) return undefined;
  for (const child of node.children) {
    const found = findSeal(child, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function sealName(seal: DerNode): string | undefined {
  const sealInfo = seal.children[0]!;
  const property = sealInfo.children.find((child, index) => index >= 1 && child.tag === TAG.sequence && child.children.some((c) => c.tag === TAG.utf8String));
  return stringOf(property?.children.find((c) => c.tag === TAG.utf8String));
}

const OID_COMMON_NAME = Buffer.from([0x55, 0x04, 0x03]);
const OID_ORGANIZATION = Buffer.from([0x55, 0x04, 0x0a]);

/** Subject CN (else O) of an X.509 certificate given as DER. */
function certificateSubject(bytes: Buffer): string | undefined {
  const cert = parseOne(bytes);
  const tbs = cert?.children[0];
  if (!cert || cert.tag !== TAG.sequence || !tbs || tbs.tag !== TAG.sequence) return undefined;
  // TBSCertificate: [0] version?, serial, signature, issuer, validity, subject, …
  const fields = tbs.children[0]?.tag === 0xa0 ? tbs.children.slice(1) : tbs.children;
  const subject = fields[4];
  if (!subject || subject.tag !== TAG.sequence) return undefined;
  const attribute = (oid: Buffer) => {
    for (const set of subject.children) {
      for (const pair of set.children) {
        if (pair.children[0]?.tag === TAG.oid && pair.children[0].value.equals(oid)) return stringOf(pair.children[1]);
      }
    }
    return undefined;
  };
  return attribute(OID_COMMON_NAME) ?? attribute(OID_ORGANIZATION);
}

/** Certificates stored as OCTET STRINGs anywhere under `node`, skipping the subtree `skip`. */
function certificatesOutside(node: DerNode, skip: DerNode | undefined, found: string[] = [], depth = 0): string[] {
  if (node === skip || depth > 6) return found;
  if (node.tag === TAG.octetString && node.value[0] === TAG.sequence) {
    const subject = certificateSubject(node.value);
    if (subject) found.push(subject);
  }
  for (const child of node.children) certificatesOutside(child, skip, found, depth + 1);
  return found;
}

/** The seal name in a `Seal.esl` (SES_Seal). */
export function sealNameFromEsl(bytes: Buffer): string | undefined {
  const root = parseOne(bytes);
  if (!root) return undefined;
  const seal = findSeal(root);
  return seal ? sealName(seal) : undefined;
}

/** The embedded seal's name and the signer's certificate subject in a `SignedValue.dat` (SES_Signature). */
export function readSignedValue(bytes: Buffer): { sealName?: string; signer?: string } {
  const root = parseOne(bytes);
  if (!root || root.tag !== TAG.sequence) return {};
  const seal = findSeal(root);
  const name = seal ? sealName(seal) : undefined;
  const signer = certificatesOutside(root, seal)[0];
  return { ...(name ? { sealName: name } : {}), ...(signer ? { signer } : {}) };
}
