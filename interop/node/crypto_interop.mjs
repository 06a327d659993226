// Live interop between devtrust's crypto core and @noble/post-quantum.
//
// Usage: node crypto_interop.mjs PATH/TO/devtrust_crypto_interop_tool
//
// For ML-DSA-65 and ML-DSA-87 it checks that noble verifies devtrust
// signatures, with and without a FIPS 204 context, hedged and deterministic.
// It also checks that devtrust verifies noble's signatures. For ML-KEM-768
// and ML-KEM-1024 it checks shared secrets in both directions, implicit
// rejection, and that devtrust's seed-only PKCS#8 carries the FIPS 203/204
// seed. ctest runs it as crypto_node_interop. Exit codes: 0 all passed,
// 1 a check failed, 2 wrong usage, 77 node_modules is missing (ctest skip).

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tool = process.argv[2];
if (!tool) {
  console.error('usage: node crypto_interop.mjs PATH/TO/devtrust_crypto_interop_tool');
  process.exit(2);
}
if (!existsSync(join(here, 'node_modules', '@noble', 'post-quantum'))) {
  console.log(`SKIP: ${join(here, 'node_modules')} is missing; run "npm ci" in ${here}`);
  process.exit(77);
}

const { ml_dsa65, ml_dsa87 } = await import('@noble/post-quantum/ml-dsa.js');
const { ml_kem768, ml_kem1024 } = await import('@noble/post-quantum/ml-kem.js');

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const fromHex = (text) => new Uint8Array(Buffer.from(text, 'hex'));
const utf8 = (text) => new TextEncoder().encode(text);
const flipBit = (bytes, bit) => {
  const copy = Uint8Array.from(bytes);
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
};

// Runs the tool and returns its "name=value" lines as an object, plus the
// exit code and the first output line.
function runTool(...args) {
  let stdout;
  let status = 0;
  try {
    stdout = execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if (typeof error.status !== 'number') {
      throw error;
    }
    stdout = error.stdout;
    status = error.status;
    if (status !== 1) {
      throw new Error(`${args[0]} exited ${status}: ${error.stderr}`);
    }
  }
  const fields = { status, line: stdout.split('\n')[0] };
  for (const line of stdout.split('\n')) {
    const separator = line.indexOf('=');
    if (separator > 0) {
      fields[line.slice(0, separator)] = line.slice(separator + 1);
    }
  }
  return fields;
}

// Reads the seed out of a seed-only PKCS#8 PrivateKeyInfo (RFC 5958) with a
// minimal DER walk, checking the OID, so that this script does not just
// mirror the byte prefix that devtrust writes.
function seedFromPkcs8(der, expectedOid, seedSize) {
  let offset = 0;
  const readTlv = (expectedTag) => {
    const tag = der[offset++];
    if (tag !== expectedTag) {
      throw new Error(`DER tag 0x${tag.toString(16)} at ${offset - 1}, expected 0x${expectedTag.toString(16)}`);
    }
    let length = der[offset++];
    if (length & 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let i = 0; i < count; i++) length = (length << 8) | der[offset++];
    }
    const start = offset;
    return { start, end: start + length };
  };
  const outer = readTlv(0x30);
  if (outer.end !== der.length) throw new Error('PrivateKeyInfo has trailing bytes');
  const version = readTlv(0x02);
  if (version.end - version.start !== 1 || der[version.start] !== 0) throw new Error('version is not 0');
  offset = version.end;
  const algorithm = readTlv(0x30);
  const oid = readTlv(0x06);
  if (hex(der.subarray(oid.start, oid.end)) !== expectedOid) {
    throw new Error(`OID ${hex(der.subarray(oid.start, oid.end))}, expected ${expectedOid}`);
  }
  if (oid.end !== algorithm.end) throw new Error('AlgorithmIdentifier has parameters');
  offset = algorithm.end;
  const privateKey = readTlv(0x04);
  const seed = readTlv(0x80);
  if (seed.end !== privateKey.end || privateKey.end !== outer.end) {
    throw new Error('privateKey contains more than the seed');
  }
  if (seed.end - seed.start !== seedSize) throw new Error(`seed has ${seed.end - seed.start} bytes`);
  return der.subarray(seed.start, seed.end);
}

let passed = 0;
let failed = 0;
function check(name, body) {
  try {
    body();
    passed++;
    console.log(`ok - ${name}`);
  } catch (error) {
    failed++;
    console.log(`not ok - ${name}: ${error.message}`);
  }
}
function expect(condition, message) {
  if (!condition) throw new Error(message);
}

// DER contents of the NIST OIDs id-ml-dsa-65/87 and id-alg-ml-kem-768/1024.
const signatureAlgorithms = [
  ['ML-DSA-65', ml_dsa65, '608648016503040312'],
  ['ML-DSA-87', ml_dsa87, '608648016503040313'],
];
const kemAlgorithms = [
  ['ML-KEM-768', ml_kem768, '608648016503040402'],
  ['ML-KEM-1024', ml_kem1024, '608648016503040403'],
];

const message = utf8('devtrust interop: login proof for device 42');
const context = utf8('devtrust/login');

for (const [name, dsa, oid] of signatureAlgorithms) {
  check(`${name}: noble verifies a devtrust signature with a context`, () => {
    const out = runTool('sign', name, hex(context), hex(message));
    const publicKey = fromHex(out.public_key);
    const signature = fromHex(out.signature);
    expect(dsa.verify(signature, message, publicKey, { context }), 'noble rejected the signature');
    expect(!dsa.verify(signature, message, publicKey, { context: utf8('devtrust/register') }),
           'noble accepted the signature under another context');
    expect(!dsa.verify(signature, message, publicKey), 'noble accepted it without the context');
    expect(!dsa.verify(flipBit(signature, 100), message, publicKey, { context }),
           'noble accepted a tampered signature');
  });

  check(`${name}: noble verifies a devtrust signature without a context`, () => {
    const out = runTool('sign', name, '', hex(message));
    expect(dsa.verify(fromHex(out.signature), message, fromHex(out.public_key)),
           'noble rejected the signature');
  });

  check(`${name}: devtrust deterministic signature equals noble's for the same seed`, () => {
    const out = runTool('sign', name, hex(context), hex(message), 'deterministic');
    const seed = seedFromPkcs8(fromHex(out.private_key), oid, 32);
    const { publicKey, secretKey } = dsa.keygen(seed);
    expect(hex(publicKey) === out.public_key, 'public key from the PKCS#8 seed differs');
    const expected = dsa.sign(message, secretKey, { context, extraEntropy: false });
    expect(hex(expected) === out.signature, 'deterministic signatures differ');
  });

  check(`${name}: devtrust verifies noble signatures`, () => {
    const { publicKey, secretKey } = dsa.keygen();
    const hedged = dsa.sign(message, secretKey, { context });
    const deterministic = dsa.sign(message, secretKey, { extraEntropy: false });
    const verify = (signature, ctx) =>
      runTool('verify', name, hex(publicKey), hex(ctx), hex(message), hex(signature));

    const valid = verify(hedged, context);
    expect(valid.line === 'valid', `hedged: ${valid.line}`);
    expect(valid.status === 0, `hedged: exit code ${valid.status}`);
    const plain = verify(deterministic, new Uint8Array());
    expect(plain.line === 'valid', `deterministic: ${plain.line}`);
    expect(plain.status === 0, `deterministic: exit code ${plain.status}`);

    const wrongContext = verify(hedged, utf8('devtrust/register'));
    expect(wrongContext.line === 'invalid: signature_invalid', `wrong context: ${wrongContext.line}`);
    const tampered = verify(flipBit(hedged, 7), context);
    expect(tampered.line === 'invalid: signature_invalid', `tampered: ${tampered.line}`);
    const truncated = verify(hedged.subarray(0, hedged.length - 1), context);
    expect(truncated.line === 'invalid: signature_invalid', `truncated: ${truncated.line}`);
  });
}

for (const [name, kem, oid] of kemAlgorithms) {
  check(`${name}: noble decapsulates what devtrust encapsulates`, () => {
    const { publicKey, secretKey } = kem.keygen();
    const out = runTool('encapsulate', name, hex(publicKey));
    const secret = kem.decapsulate(fromHex(out.ciphertext), secretKey);
    expect(hex(secret) === out.shared_secret, 'shared secrets differ');
  });

  check(`${name}: devtrust decapsulates what noble encapsulates`, () => {
    const keys = runTool('kem-keygen', name);
    const { cipherText, sharedSecret } = kem.encapsulate(fromHex(keys.public_key));
    const out = runTool('decapsulate', keys.private_key, hex(cipherText));
    expect(out.shared_secret === hex(sharedSecret), 'shared secrets differ');
  });

  check(`${name}: seed-only PKCS#8 gives noble the same key and rejection secret`, () => {
    const keys = runTool('kem-keygen', name);
    const seed = seedFromPkcs8(fromHex(keys.private_key), oid, 64);
    const { publicKey, secretKey } = kem.keygen(seed);
    expect(hex(publicKey) === keys.public_key, 'public key from the PKCS#8 seed differs');

    // FIPS 203 implicit rejection derives the secret for a bad ciphertext
    // from z, so both implementations must return the same pseudorandom value.
    const { cipherText, sharedSecret } = kem.encapsulate(publicKey);
    const tampered = flipBit(cipherText, 9);
    const devtrust = runTool('decapsulate', keys.private_key, hex(tampered));
    expect(devtrust.shared_secret !== hex(sharedSecret), 'tampered ciphertext kept the secret');
    expect(devtrust.shared_secret === hex(kem.decapsulate(tampered, secretKey)),
           'implicit rejection secrets differ');
  });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
