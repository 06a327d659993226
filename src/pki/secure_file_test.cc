#include "pki/secure_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "pki/test_util.h"

namespace devtrust::pki {
namespace {

namespace fs = std::filesystem;
using testing::FileMode;
using testing::ReadText;
using testing::ScratchDirectory;
using testing::WriteText;

// Sets the process umask for one test and restores it afterwards.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : previous_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(previous_); }

 private:
  mode_t previous_;
};

std::size_t CountEntries(const fs::path& directory) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(directory)) {
    ++count;
  }
  return count;
}

TEST(SecureFileTest, WritesPrivateFileWithMode0600) {
  // A umask of 0 would let a create-then-chmod writer expose the file.
  ScopedUmask umask(0);
  ScratchDirectory directory;
  const fs::path path = directory.path() / "key.pem";

  ASSERT_TRUE(WriteFileAtomically(path, AsBytes("secret"), kPrivateFileMode, ExistingFile::kKeep));
  EXPECT_EQ(FileMode(path), 0600u);
  EXPECT_EQ(ReadText(path), "secret");
  EXPECT_EQ(CountEntries(directory.path()), 1u);  // no temporary file left behind
}

TEST(SecureFileTest, KeepLeavesExistingFile) {
  ScratchDirectory directory;
  const fs::path path = directory.path() / "key.pem";
  ASSERT_TRUE(WriteFileAtomically(path, AsBytes("first"), kPrivateFileMode, ExistingFile::kKeep));

  Status second =
      WriteFileAtomically(path, AsBytes("second"), kPrivateFileMode, ExistingFile::kKeep);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().reason(), "file_exists");
  EXPECT_EQ(second.error().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(ReadText(path), "first");
  EXPECT_EQ(CountEntries(directory.path()), 1u);
}

TEST(SecureFileTest, ReplaceOverwritesExistingFile) {
  ScratchDirectory directory;
  const fs::path path = directory.path() / "cert.pem";
  ASSERT_TRUE(WriteFileAtomically(path, AsBytes("first"), kPublicFileMode, ExistingFile::kKeep));
  ASSERT_TRUE(
      WriteFileAtomically(path, AsBytes("second"), kPublicFileMode, ExistingFile::kReplace));
  EXPECT_EQ(ReadText(path), "second");
  EXPECT_EQ(CountEntries(directory.path()), 1u);
}

TEST(SecureFileTest, WriteIntoMissingDirectoryFails) {
  ScratchDirectory directory;
  Status written = WriteFileAtomically(directory.path() / "missing" / "key.pem", AsBytes("x"),
                                       kPrivateFileMode, ExistingFile::kKeep);
  ASSERT_FALSE(written.has_value());
  EXPECT_EQ(written.error().reason(), "file_write_failed");
}

TEST(SecureFileTest, CreatesPrivateDirectory) {
  ScopedUmask umask(0);
  ScratchDirectory directory;
  const fs::path nested = directory.path() / "a" / "ca";
  ASSERT_TRUE(CreatePrivateDirectory(nested));
  EXPECT_TRUE(fs::is_directory(nested));
  EXPECT_EQ(FileMode(nested), 0700u);
  EXPECT_TRUE(CreatePrivateDirectory(nested));  // existing directory is fine
}

TEST(SecureFileTest, ReadsPrivateKeyFileWithOwnerOnlyMode) {
  ScratchDirectory directory;
  const fs::path path = directory.path() / "key.pem";
  ASSERT_TRUE(WriteFileAtomically(path, AsBytes("pem"), kPrivateFileMode, ExistingFile::kKeep));
  Result<crypto::SecretBytes> contents = ReadPrivateKeyFile(path, 1024);
  ASSERT_TRUE(contents.has_value()) << contents.error().ToString();
  EXPECT_EQ(contents->AsStringView(), "pem");

  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(ReadPrivateKeyFile(path, 1024).has_value());
}

TEST(SecureFileTest, RejectsKeyFileReadableByOthers) {
  ScratchDirectory directory;
  const fs::path path = directory.path() / "key.pem";
  WriteText(path, "pem");
  for (const mode_t mode : {0644u, 0640u, 0604u, 0660u, 0606u}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    Result<crypto::SecretBytes> contents = ReadPrivateKeyFile(path, 1024);
    ASSERT_FALSE(contents.has_value()) << std::oct << mode;
    EXPECT_EQ(contents.error().reason(), "key_file_permissions");
    EXPECT_NE(contents.error().message().find(path.string()), std::string::npos);
    EXPECT_NE(contents.error().message().find("chmod 600 " + path.string()), std::string::npos);
  }
}

TEST(SecureFileTest, RejectsMissingDirectoryAndOversizedFiles) {
  ScratchDirectory directory;
  Result<crypto::SecretBytes> missing = ReadPrivateKeyFile(directory.path() / "none", 1024);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().reason(), "file_not_found");

  Result<std::string> directory_read = ReadPublicFile(directory.path(), 1024);
  ASSERT_FALSE(directory_read.has_value());
  EXPECT_EQ(directory_read.error().reason(), "file_read_failed");

  const fs::path big = directory.path() / "big.pem";
  WriteText(big, std::string(2048, 'x'));
  Result<std::string> too_big = ReadPublicFile(big, 1024);
  ASSERT_FALSE(too_big.has_value());
  EXPECT_NE(too_big.error().message().find("maximum"), std::string::npos);
}

}  // namespace
}  // namespace devtrust::pki
