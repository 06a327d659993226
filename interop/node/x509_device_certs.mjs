// Reads the certificates that devtrust_pki_interop_fixture wrote with
// @peculiar/x509, an X.509 implementation independent of OpenSSL, and checks
// what a relying party would: the subjectAltName URIs, key usage, extended
// key usage, basic constraints, the signatures under the devtrust roots, and
// the CRLs.
//
// ML-DSA: @peculiar/x509 maps id-ml-dsa-65 to the WebCrypto algorithm
// "ML-DSA-65" and verifies through the WebCrypto provider it is given.
// Node.js 20's WebCrypto has no ML-DSA, so the script first confirms that the
// default provider cannot verify the ML-DSA certificate, then verifies it
// through @peculiar/x509 with a provider whose ML-DSA-65 importKey and verify
// come from @noble/post-quantum. @peculiar/x509 still parses the certificate,
// extracts the TBS bytes and signature and maps the algorithm; noble does the
// ML-DSA arithmetic. No OpenSSL code takes part.
//
// Usage: node x509_device_certs.mjs FIXTURE_DIRECTORY
// Exits non-zero when a check fails.

import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// @peculiar/x509 2.x resolves its algorithms through tsyringe, which needs
// the Reflect metadata API, so its README requires this import first.
import 'reflect-metadata';

import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import * as x509 from '@peculiar/x509';

const directory = process.argv[2];
if (!directory) {
  console.error('usage: node x509_device_certs.mjs FIXTURE_DIRECTORY');
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(name, condition, detail = '') {
  if (condition) {
    passed += 1;
    console.log(`ok: ${name}`);
  } else {
    failed += 1;
    console.log(`FAILED: ${name}${detail ? ` (${detail})` : ''}`);
  }
}

const read = (name) => readFileSync(join(directory, name), 'utf8');
const certificate = (name) => new x509.X509Certificate(read(name));

// The DER prefix of an id-ml-dsa-65 SubjectPublicKeyInfo (RFC 9881 section
// 4): SEQUENCE, the AlgorithmIdentifier without parameters, and the BIT
// STRING header of the 1952-byte public key (FIPS 204 table 2).
const ML_DSA_65_SPKI_PREFIX = Buffer.from(
  '308207b2300b0609608648016503040312038207a100',
  'hex',
);
const ML_DSA_65_PUBLIC_KEY_SIZE = 1952;

// A WebCrypto provider with ML-DSA-65 verification from @noble/post-quantum
// and everything else from Node.js.
const mlDsaCrypto = {
  getRandomValues: (array) => webcrypto.getRandomValues(array),
  subtle: {
    async importKey(format, keyData, algorithm, extractable, usages) {
      if (algorithm?.name !== 'ML-DSA-65') {
        return webcrypto.subtle.importKey(format, keyData, algorithm, extractable, usages);
      }
      const spki = Buffer.from(keyData instanceof ArrayBuffer ? new Uint8Array(keyData) : keyData);
      if (
        format !== 'spki' ||
        spki.length !== ML_DSA_65_SPKI_PREFIX.length + ML_DSA_65_PUBLIC_KEY_SIZE ||
        !spki.subarray(0, ML_DSA_65_SPKI_PREFIX.length).equals(ML_DSA_65_SPKI_PREFIX)
      ) {
        throw new Error('not an id-ml-dsa-65 SubjectPublicKeyInfo');
      }
      return {
        type: 'public',
        algorithm: { name: 'ML-DSA-65' },
        extractable,
        usages,
        raw: new Uint8Array(spki.subarray(ML_DSA_65_SPKI_PREFIX.length)),
      };
    },
    async verify(algorithm, key, signature, data) {
      if (algorithm?.name !== 'ML-DSA-65') {
        return webcrypto.subtle.verify(algorithm, key, signature, data);
      }
      // Pure ML-DSA with the empty context that RFC 9881 certificates use.
      return ml_dsa65.verify(new Uint8Array(signature), new Uint8Array(data), key.raw);
    },
    digest: (algorithm, data) => webcrypto.subtle.digest(algorithm, data),
    exportKey: (format, key) => webcrypto.subtle.exportKey(format, key),
  },
};

function uris(cert) {
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  return san ? san.names.items.filter((name) => name.type === 'url').map((name) => name.value) : [];
}

const roots = {
  'ml-dsa-65': certificate('ca/ml-dsa-65-root.cert.pem'),
  'ecdsa-p256': certificate('ca/ecdsa-p256-root.cert.pem'),
};

for (const [stem, expectedAlgorithm] of [
  ['ml-dsa-65', 'ML-DSA-65'],
  ['ecdsa-p256', 'ECDSA'],
]) {
  const device = certificate(`device-${stem}.pem`);
  const label = `${stem} device`;

  check(`${label} subject`, device.subject === 'CN=device-42', device.subject);
  check(`${label} issuer is its root`, device.issuer === roots[stem].subject, device.issuer);
  check(
    `${label} signature algorithm`,
    device.signatureAlgorithm.name === expectedAlgorithm,
    JSON.stringify(device.signatureAlgorithm),
  );
  check(
    `${label} SAN URIs`,
    JSON.stringify(uris(device)) ===
      JSON.stringify(['urn:devtrust:device:device-42', 'urn:devtrust:user:user-7']),
    JSON.stringify(uris(device)),
  );

  const keyUsage = device.getExtension(x509.KeyUsagesExtension);
  check(`${label} key usage present and critical`, keyUsage?.critical === true);
  check(
    `${label} key usage is digitalSignature only`,
    keyUsage?.usages === x509.KeyUsageFlags.digitalSignature,
    String(keyUsage?.usages),
  );

  const extendedKeyUsage = device.getExtension(x509.ExtendedKeyUsageExtension);
  check(
    `${label} extended key usage is clientAuth`,
    JSON.stringify(extendedKeyUsage?.usages) === JSON.stringify([x509.ExtendedKeyUsage.clientAuth]),
    JSON.stringify(extendedKeyUsage?.usages),
  );

  const basicConstraints = device.getExtension(x509.BasicConstraintsExtension);
  check(`${label} is not a CA`, basicConstraints !== null && basicConstraints.ca === false);

  const authorityKeyId = device.getExtension(x509.AuthorityKeyIdentifierExtension);
  const rootKeyId = roots[stem].getExtension(x509.SubjectKeyIdentifierExtension);
  check(
    `${label} authority key identifier matches the root`,
    authorityKeyId?.keyId !== undefined && authorityKeyId.keyId === rootKeyId?.keyId,
  );
}

// Signatures with Node.js WebCrypto: ECDSA verifies; ML-DSA cannot.
const ecdsaDevice = certificate('device-ecdsa-p256.pem');
const mlDsaDevice = certificate('device-ml-dsa-65.pem');
check(
  'ecdsa-p256 device signature verifies under its root',
  await ecdsaDevice.verify({ publicKey: roots['ecdsa-p256'], signatureOnly: true }),
);
check(
  'ecdsa-p256 device signature fails under another ECDSA key',
  !(await ecdsaDevice.verify({
    publicKey: certificate('device-ecdsa-p256.pem'),
    signatureOnly: true,
  })),
);
check(
  'ecdsa-p256 root is self-signed',
  await roots['ecdsa-p256'].isSelfSigned(),
);

let defaultProviderVerdict;
try {
  defaultProviderVerdict = await mlDsaDevice.verify({
    publicKey: roots['ml-dsa-65'],
    signatureOnly: true,
  });
} catch (error) {
  defaultProviderVerdict = `threw: ${error.message}`;
}
check(
  'ml-dsa-65 device is not verifiable with Node.js WebCrypto alone',
  defaultProviderVerdict !== true,
  String(defaultProviderVerdict),
);

// Signatures through @peculiar/x509 with the noble-backed ML-DSA provider.
check(
  'ml-dsa-65 device signature verifies under its root',
  await mlDsaDevice.verify({ publicKey: roots['ml-dsa-65'], signatureOnly: true }, mlDsaCrypto),
);
check(
  'ml-dsa-65 device signature fails under the revoked device key',
  !(await mlDsaDevice.verify(
    { publicKey: certificate('revoked-ml-dsa-65.pem'), signatureOnly: true },
    mlDsaCrypto,
  )),
);
check(
  'ml-dsa-65 root is self-signed',
  await roots['ml-dsa-65'].isSelfSigned(mlDsaCrypto),
);

// A flipped bit inside the signed part breaks the signature.
const tamperedDer = Buffer.from(mlDsaDevice.rawData);
tamperedDer[200] ^= 0x01;
check(
  'ml-dsa-65 device with a flipped TBS bit fails',
  !(await new x509.X509Certificate(tamperedDer).verify(
    { publicKey: roots['ml-dsa-65'], signatureOnly: true },
    mlDsaCrypto,
  )),
);

// CRLs: each lists its root's revoked serial number with keyCompromise and
// verifies under that root. X509Crl.verify takes the global provider.
x509.cryptoProvider.set(mlDsaCrypto);
for (const stem of ['ml-dsa-65', 'ecdsa-p256']) {
  const crl = new x509.X509Crl(read(`crl-${stem}.pem`));
  const revoked = certificate(`revoked-${stem}.pem`);
  const entry = crl.entries.find((item) => item.serialNumber === revoked.serialNumber);
  check(`${stem} CRL lists the revoked serial`, entry !== undefined);
  check(
    `${stem} CRL reason is keyCompromise`,
    entry?.reason === x509.X509CrlReason.keyCompromise,
    String(entry?.reason),
  );
  check(
    `${stem} CRL does not list the valid device`,
    !crl.entries.some(
      (item) => item.serialNumber === certificate(`device-${stem}.pem`).serialNumber,
    ),
  );
  check(`${stem} CRL verifies under its root`, await crl.verify({ publicKey: roots[stem] }));
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
