// Writes src/crypto/testdata/noble_vectors.txt: ML-DSA and ML-KEM known-answer
// vectors computed by @noble/post-quantum, an implementation independent of
// OpenSSL. known_answer_test.cc recomputes every value with devtrust and
// compares byte for byte.
//
// Usage: node make_vectors.mjs [output path]
// Rerun it only when a case is added; the committed file is the reference.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';

const here = dirname(fileURLToPath(import.meta.url));
const output = process.argv[2] ?? resolve(here, '../../src/crypto/testdata/noble_vectors.txt');
// The package's "exports" hide its package.json, so read the installed file.
const nobleVersion = JSON.parse(
  readFileSync(resolve(here, 'node_modules/@noble/post-quantum/package.json'), 'utf8'),
).version;

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const utf8 = (text) => new TextEncoder().encode(text);

// A fixed byte pattern, so that each seed and message is easy to regenerate.
function pattern(size, start) {
  return Uint8Array.from({ length: size }, (_, i) => (start + i) & 0xff);
}

const signatureAlgorithms = [
  ['ML-DSA-65', ml_dsa65, 0x10],
  ['ML-DSA-87', ml_dsa87, 0x20],
];
const contexts = ['devtrust/known-answer'];
const kemAlgorithms = [
  ['ML-KEM-768', ml_kem768, 0x30],
  ['ML-KEM-1024', ml_kem1024, 0x40],
];

const lines = [
  `# ML-DSA and ML-KEM known-answer vectors from @noble/post-quantum ${nobleVersion},`,
  '# written by interop/node/make_vectors.mjs. Values are hex; message and',
  '# context are UTF-8 text. Signatures are deterministic (FIPS 204 rnd = 0^32);',
  '# encapsulations use the fixed message m (FIPS 203 algorithm 17).',
];

for (const [name, dsa, seedStart] of signatureAlgorithms) {
  const seed = pattern(32, seedStart);
  const { publicKey, secretKey } = dsa.keygen(seed);
  for (const context of contexts) {
    const message = `devtrust known-answer message for ${name}`;
    const signature = dsa.sign(utf8(message), secretKey, {
      context: utf8(context),
      extraEntropy: false,
    });
    if (!dsa.verify(signature, utf8(message), publicKey, { context: utf8(context) })) {
      throw new Error(`${name}: noble rejected its own signature`);
    }
    lines.push('', `[${name}]`, `seed = ${hex(seed)}`, `message = ${message}`,
               `context = ${context}`, `public_key = ${hex(publicKey)}`,
               `signature = ${hex(signature)}`);
  }
}

for (const [name, kem, seedStart] of kemAlgorithms) {
  const seed = pattern(64, seedStart);
  const { publicKey, secretKey } = kem.keygen(seed);
  const m = pattern(32, seedStart + 0x80);
  const { cipherText, sharedSecret } = kem.encapsulate(publicKey, m);
  if (hex(kem.decapsulate(cipherText, secretKey)) !== hex(sharedSecret)) {
    throw new Error(`${name}: noble decapsulated a different secret`);
  }
  lines.push('', `[${name}]`, `seed = ${hex(seed)}`, `m = ${hex(m)}`,
             `public_key = ${hex(publicKey)}`, `ciphertext = ${hex(cipherText)}`,
             `shared_secret = ${hex(sharedSecret)}`);
}

writeFileSync(output, lines.join('\n') + '\n');
console.log(`wrote ${output}`);
