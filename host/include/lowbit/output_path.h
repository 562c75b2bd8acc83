// Checks on output paths made before a command does any work (the kit's "nothing written" rule).
#pragma once

#include <filesystem>
#include <string>

namespace lowbit {

/// An output file `path` given by option `option` (for messages, e.g. "--stats"): its folder must
/// exist and be a folder, and `path` must be absent or a regular file (never a symlink, FIFO,
/// device or folder). Throws InputError "<path>: <option>: <problem>; allowed: ..." otherwise.
void check_output_file(const std::filesystem::path& path, const std::string& option);

/// An output folder: absent with an existing parent folder (it will be created), or an existing
/// folder that is not a symlink. Throws InputError otherwise.
void check_output_dir(const std::filesystem::path& path, const std::string& option);

/// True when `name` may name a file inside an output folder: 1 to 128 characters of
/// [A-Za-z0-9_.-], not starting with '.', so it never leaves the folder.
bool is_safe_file_name(const std::string& name);

}  // namespace lowbit
