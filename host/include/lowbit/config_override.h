// `--set key.path=value` overrides applied to a hardware config JSON tree before it is validated.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace lowbit {

/// Applies one `key.path=value` assignment to `config` (a JSON object whose defaults are already
/// filled in, so every valid key exists). The key is a dot-separated path to an existing leaf
/// (`top.dram.bandwidth_gbps`, `lutcore.n`); the value is parsed by the leaf's current type:
///   integer  decimal, optional leading '-' (no '+', no fraction, no exponent)
///   floating any decimal or exponent form (`2`, `0.5`, `1e9`); stays a floating-point value
///   bool     `true` or `false`
///   string   the text after the first '=' verbatim (may be empty, may contain '=')
///   array    a JSON array literal (`[1,2]`); arrays are leaves, elements are not addressed
///   null     a JSON literal (number, true, false, null) if it parses as one, else a string
/// Throws InputError with one line "<origin>: --set <key>: <problem>; allowed: <...>" for a
/// missing '=', an unknown key (with the nearest valid key by edit distance), an object key (with
/// its leaves) and a value that does not parse as the leaf's type. On error `config` is unchanged.
/// Keys that contain '.' cannot be addressed. Throws std::invalid_argument if `config` is not an
/// object (a caller bug, not bad input).
void apply_override(nlohmann::json& config, std::string_view assignment, const std::string& origin);

/// Applies assignments in order (a later one wins over an earlier one on the same key). All or
/// nothing: if any assignment fails, `config` is left as it was and the first error is thrown.
/// Setting `top.dram.preset` removes the DRAM keys a preset sets (model/arch/dram_presets.h) unless
/// an assignment sets them too, so the preset's values apply and explicit `--set` keys win.
void apply_overrides(nlohmann::json& config, const std::vector<std::string>& assignments,
                     const std::string& origin);

/// Dotted paths of every leaf (any non-object value, arrays included) in `config`, sorted
/// (nlohmann::json keeps object keys sorted). Empty objects contribute nothing.
std::vector<std::string> leaf_paths(const nlohmann::json& config);

/// Levenshtein distance (insert, delete, substitute cost 1) between two byte strings.
size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace lowbit
