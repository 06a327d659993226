// libFuzzer target for the login records reader: CSV text goes through
// ParseCsv and ParseLoginRecords, and every record becomes a fingerprint that
// is encoded and scored. Besides the sanitizers it checks invariants and traps
// when one breaks:
//   - every record ParseCsv returns has the field count of the first;
//   - writing the records back as CSV, with every field quoted, and parsing
//     that text again yields the same fields;
//   - fingerprints of records round-trip through their canonical JSON.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trust/csv.h"
#include "trust/drift.h"
#include "trust/fingerprint.h"
#include "trust/login_records.h"

namespace {

using devtrust::Result;
using devtrust::trust::CompareFingerprints;
using devtrust::trust::CsvLimits;
using devtrust::trust::CsvRecord;
using devtrust::trust::DriftPolicy;
using devtrust::trust::Fingerprint;
using devtrust::trust::LoginRecord;

void CheckInvariant(bool condition) {
  if (!condition) {
    __builtin_trap();
  }
}

// Small limits, so that the limit checks are reached with short inputs.
constexpr CsvLimits kLimits{.max_input_bytes = 64 * 1024, .max_line_bytes = 512, .max_fields = 32};

std::string WriteQuoted(const std::vector<CsvRecord>& records) {
  std::string text;
  for (const CsvRecord& record : records) {
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
      text += i == 0 ? "\"" : ",\"";
      for (const char c : record.fields[i]) {
        text += c == '"' ? std::string("\"\"") : std::string(1, c);
      }
      text += '"';
    }
    text += "\r\n";
  }
  return text;
}

void CheckCsv(std::string_view text) {
  const Result<std::vector<CsvRecord>> records = devtrust::trust::ParseCsv(text, kLimits);
  if (!records) {
    return;
  }
  for (const CsvRecord& record : *records) {
    CheckInvariant(record.fields.size() == records->front().fields.size());
  }

  const CsvLimits unlimited{
      .max_input_bytes = 1 << 24, .max_line_bytes = 1 << 24, .max_fields = 1 << 16};
  const Result<std::vector<CsvRecord>> reread =
      devtrust::trust::ParseCsv(WriteQuoted(*records), unlimited);
  CheckInvariant(reread.has_value());
  CheckInvariant(reread->size() == records->size());
  for (std::size_t i = 0; i < records->size(); ++i) {
    CheckInvariant((*reread)[i].fields == (*records)[i].fields);
  }
}

void CheckLoginRecords(std::string_view text) {
  static const DriftPolicy policy;
  const Result<std::vector<LoginRecord>> records =
      devtrust::trust::ParseLoginRecords(text, kLimits);
  if (!records) {
    return;
  }

  std::optional<Fingerprint> previous;
  for (const LoginRecord& record : *records) {
    const Result<Fingerprint> fingerprint = devtrust::trust::FingerprintOf(record);
    if (!fingerprint) {
      continue;
    }
    const Result<Fingerprint> reread = Fingerprint::FromJsonText(fingerprint->CanonicalJson());
    CheckInvariant(reread.has_value());
    CheckInvariant(*reread == *fingerprint);
    if (previous) {
      const double score = CompareFingerprints(*previous, *fingerprint, policy).score;
      CheckInvariant(score >= 0.0 && score <= 1.0);
    }
    previous = *fingerprint;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckCsv(text);
  CheckLoginRecords(text);
  return 0;
}
