// .npy writer: header layout by the NumPy format 1.0 rules, and numpy.load agrees when available.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "lowbit/npy.h"

namespace lowbit {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(Npy, HeaderIsAlignedAndDescribesShapeAndType) {
  const auto path = std::filesystem::temp_directory_path() / "lowbit_npy_test.npy";
  const std::vector<float> data = {1.0f, -2.5f, 3.0f, 0.0f, 5.0f, 6.0f};
  write_npy<float>(path, data, {2, 3});
  const std::string bytes = slurp(path);
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  const size_t header_len = static_cast<uint8_t>(bytes[8]) | (static_cast<uint8_t>(bytes[9]) << 8);
  EXPECT_EQ((10 + header_len) % 64, 0u);
  const std::string header = bytes.substr(10, header_len);
  EXPECT_NE(header.find("'descr': '<f4'"), std::string::npos) << header;
  EXPECT_NE(header.find("'shape': (2,3)"), std::string::npos) << header;
  EXPECT_EQ(header.back(), '\n');
  ASSERT_EQ(bytes.size(), 10 + header_len + data.size() * sizeof(float));
  float back[6];
  std::memcpy(back, bytes.data() + 10 + header_len, sizeof back);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(back[i], data[i]);
  std::filesystem::remove(path);
}

TEST(Npy, OneDimensionalShapeHasTrailingComma) {
  const auto path = std::filesystem::temp_directory_path() / "lowbit_npy_1d.npy";
  const std::vector<uint8_t> data = {1, 2, 3};
  write_npy<uint8_t>(path, data, {3});
  EXPECT_NE(slurp(path).find("'shape': (3,)"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(Npy, ShapeMismatchThrowsAndLeavesNoFile) {
  const auto path = std::filesystem::temp_directory_path() / "lowbit_npy_bad.npy";
  std::filesystem::remove(path);
  const std::vector<int32_t> data = {1, 2, 3};
  EXPECT_THROW(write_npy<int32_t>(path, data, {2, 2}), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Npy, NumpyLoadsWhatWeWrite) {
  if (std::system("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "/usr/bin/python3 with numpy not installed (apt-get install python3-numpy)";
  }
  const auto dir = std::filesystem::temp_directory_path();
  const std::vector<uint16_t> halves = {0x3C00, 0xC000, 0x7BFF, 0x0001};  // 1, -2, 65504, 2^-24
  write_npy_fp16(dir / "lowbit_h.npy", halves, {2, 2});
  const std::vector<int8_t> codes = {-128, 127, 0};
  write_npy<int8_t>(dir / "lowbit_c.npy", codes, {3});
  const std::string cmd =
      "/usr/bin/python3 -c \"import numpy as np, sys; d=sys.argv[1]; "
      "h=np.load(d+'/lowbit_h.npy'); c=np.load(d+'/lowbit_c.npy'); "
      "ok = h.dtype==np.float16 and h.shape==(2,2) and h[0,0]==1 and h[0,1]==-2 and h[1,0]==65504 "
      "and h[1,1]==2.0**-24 and list(c)==[-128,127,0] and c.dtype==np.int8; "
      "sys.exit(0 if ok else 1)\" " +
      dir.string();
  EXPECT_EQ(std::system(cmd.c_str()), 0);
}

}  // namespace
}  // namespace lowbit
