// Output paths: checked before a run, never a symlink / FIFO / device / folder; AtomicFile never
// replaces one either; safe file names never leave their folder.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "lowbit/atomic_file.h"
#include "lowbit/error.h"
#include "lowbit/output_path.h"

namespace lowbit {
namespace {

namespace fs = std::filesystem;

class OutputPath : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("lowbit_output_path_" + std::to_string(::getpid()));
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path m_dir;
};

std::string file_error(const fs::path& p) {
  try {
    check_output_file(p, "-o");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST_F(OutputPath, RegularOrNewFilesInExistingFoldersPass) {
  EXPECT_EQ(file_error(m_dir / "new.json"), "");
  std::ofstream(m_dir / "old.json") << "x";
  EXPECT_EQ(file_error(m_dir / "old.json"), "");
}

TEST_F(OutputPath, NonRegularTargetsAndMissingFoldersAreRefused) {
  fs::create_symlink("/dev/null", m_dir / "link");
  ASSERT_EQ(::mkfifo((m_dir / "fifo").c_str(), 0600), 0);
  fs::create_directory(m_dir / "sub");
  EXPECT_NE(file_error(m_dir / "link").find("-o: is a symbolic link"), std::string::npos);
  EXPECT_NE(file_error(m_dir / "fifo").find("-o: is a FIFO"), std::string::npos);
  EXPECT_NE(file_error(m_dir / "sub").find("-o: is a folder"), std::string::npos);
  EXPECT_NE(file_error("/dev/null").find("is a character device"), std::string::npos);
  EXPECT_NE(file_error(m_dir / "missing" / "x.json").find("does not exist"), std::string::npos);
  EXPECT_NE(file_error("").find("empty path"), std::string::npos);
}

// Issue 16: outputs were written by rename, so -o replaced a symlink, FIFO or device node.
TEST_F(OutputPath, AtomicFileNeverReplacesANonRegularFile) {
  fs::create_symlink(m_dir / "target", m_dir / "link");
  EXPECT_THROW(write_file_atomic(m_dir / "link", "x"), InputError);
  EXPECT_TRUE(fs::is_symlink(m_dir / "link"));
  EXPECT_FALSE(fs::exists(m_dir / "target"));
  ASSERT_EQ(::mkfifo((m_dir / "fifo").c_str(), 0600), 0);
  EXPECT_THROW(write_file_atomic(m_dir / "fifo", "x"), InputError);
  EXPECT_TRUE(fs::is_fifo(m_dir / "fifo"));
  write_file_atomic(m_dir / "plain", "y");
  EXPECT_EQ(fs::file_size(m_dir / "plain"), 1u);
}

TEST_F(OutputPath, FoldersMayBeNewOrExistingButNotSymlinks) {
  EXPECT_NO_THROW(check_output_dir(m_dir / "new", "--dump"));
  // A trailing separator names the same new folder (`lowbit report ... -o out/`).
  EXPECT_NO_THROW(check_output_dir(m_dir.string() + "/new/", "--dump"));
  EXPECT_NO_THROW(check_output_dir(m_dir.string() + "/new//", "--dump"));
  EXPECT_THROW(check_output_dir(m_dir.string() + "/a/b/", "--dump"), InputError);
  EXPECT_NO_THROW(check_output_dir(m_dir, "--dump"));
  fs::create_directory_symlink(m_dir, m_dir / "dlink");
  EXPECT_THROW(check_output_dir(m_dir / "dlink", "--dump"), InputError);
  EXPECT_THROW(check_output_dir(m_dir.string() + "/dlink/", "--dump"), InputError);
  std::ofstream(m_dir / "file") << "x";
  EXPECT_THROW(check_output_dir(m_dir / "file", "--dump"), InputError);
  EXPECT_THROW(check_output_dir(m_dir / "a" / "b", "--dump"), InputError);
}

TEST(SafeFileName, OnlyNamesThatStayInTheirFolder) {
  for (const char* ok : {"q_proj", "layer0", "a.b-c", "X"})
    EXPECT_TRUE(is_safe_file_name(ok)) << ok;
  for (const char* bad : {"", "../escape", "/abs", ".hidden", "a/b", "a\\b", "a b", ".."}) {
    EXPECT_FALSE(is_safe_file_name(bad)) << bad;
  }
  EXPECT_FALSE(is_safe_file_name(std::string(129, 'a')));
}

}  // namespace
}  // namespace lowbit
