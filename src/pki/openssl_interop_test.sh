#!/usr/bin/env bash
# Checks devtrust's certificates and CRLs with the openssl command (OpenSSL
# 3.5, the build's own, not the system's 3.0 which has no ML-DSA): chain
# verification for TLS clients, the printed extensions, CRL signatures and
# revocation.
#
# Usage: openssl_interop_test.sh FIXTURE_BINARY OPENSSL_BINARY
set -euo pipefail

fixture=$1
openssl=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/devtrust_pki_openssl.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$fixture" "$work" >/dev/null

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*"; }

# expect_success NAME COMMAND...: the command exits 0.
expect_success() {
  local name=$1
  shift
  local output
  if output=$("$@" 2>&1); then
    pass "$name"
  else
    fail "$name"
    printf '%s\n' "$output" | sed 's/^/    /'
  fi
}

# expect_output NAME PATTERN COMMAND...: the command exits 0 and prints a
# line matching the extended regular expression PATTERN.
expect_output() {
  local name=$1 pattern=$2
  shift 2
  local output
  if output=$("$@" 2>&1) && grep -Eq -- "$pattern" <<<"$output"; then
    pass "$name"
  else
    fail "$name (expected /$pattern/)"
    printf '%s\n' "$output" | sed 's/^/    /'
  fi
}

for pair in "ml-dsa-65:ML-DSA-65" "ecdsa-p256:ECDSA-P256"; do
  stem=${pair%%:*}
  label=${pair##*:}
  root="$work/ca/$stem-root.cert.pem"
  device="$work/device-$stem.pem"
  revoked="$work/revoked-$stem.pem"
  crl="$work/crl-$stem.pem"

  # Chain: the root accepts the device certificate for TLS client use.
  expect_output "$label device verifies for sslclient" ": OK$" \
    "$openssl" verify -CAfile "$root" -purpose sslclient "$device"
  expect_output "$label server verifies for sslserver" ": OK$" \
    "$openssl" verify -CAfile "$root" -purpose sslserver "$work/server/server-$stem.cert.pem"

  # The extensions as openssl prints them.
  text=$("$openssl" x509 -in "$device" -noout -text)
  expect_output "$label device has the device URI" "URI:urn:devtrust:device:device-42" \
    printf '%s\n' "$text"
  expect_output "$label device has the user URI" "URI:urn:devtrust:user:user-7" \
    printf '%s\n' "$text"
  expect_output "$label device key usage is critical" "X509v3 Key Usage: critical" \
    printf '%s\n' "$text"
  expect_output "$label device key usage is digitalSignature" "^ +Digital Signature$" \
    printf '%s\n' "$text"
  expect_output "$label device extended key usage is clientAuth" \
    "^ +TLS Web Client Authentication$" printf '%s\n' "$text"
  expect_output "$label device is not a CA" "CA:FALSE" printf '%s\n' "$text"
  expect_output "$label device has an authority key identifier" \
    "X509v3 Authority Key Identifier" printf '%s\n' "$text"
  expect_output "$label device subject is the device id" "Subject: CN *= *device-42" \
    printf '%s\n' "$text"

  # CRL: its signature verifies with the root.
  expect_output "$label CRL verifies" "verify OK" \
    "$openssl" crl -in "$crl" -CAfile "$root" -noout

  # Revocation: the listed certificate is rejected, the other one accepted.
  revoked_output=$("$openssl" verify -crl_check -CAfile "$root" -CRLfile "$crl" "$revoked" 2>&1) &&
    revoked_status=0 || revoked_status=$?
  if [[ $revoked_status -ne 0 ]] && grep -q "certificate revoked" <<<"$revoked_output"; then
    pass "$label revoked device fails crl_check"
  else
    fail "$label revoked device fails crl_check"
    printf '%s\n' "$revoked_output" | sed 's/^/    /'
  fi
  expect_output "$label valid device passes crl_check" ": OK$" \
    "$openssl" verify -crl_check -CAfile "$root" -CRLfile "$crl" "$device"
done

# The ML-DSA certificates use the RFC 9881 algorithm.
expect_output "ML-DSA-65 device signature algorithm" "Signature Algorithm: ML-DSA-65" \
  "$openssl" x509 -in "$work/device-ml-dsa-65.pem" -noout -text
expect_output "ML-DSA-65 device public key algorithm" "Public Key Algorithm: ML-DSA-65" \
  "$openssl" x509 -in "$work/device-ml-dsa-65.pem" -noout -text

# A certificate under the other root does not verify.
if "$openssl" verify -CAfile "$work/ca/ecdsa-p256-root.cert.pem" \
  "$work/device-ml-dsa-65.pem" >/dev/null 2>&1; then
  fail "ML-DSA-65 device rejected under the ECDSA root"
else
  pass "ML-DSA-65 device rejected under the ECDSA root"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
