// Small helpers shared by the kit's self-contained HTML pages (lowbit report, lowbit sweep).
#pragma once

#include <string>
#include <string_view>

namespace lowbit {

/// Escapes text for HTML element content and double-quoted attribute values.
std::string html_escape(std::string_view s);

}  // namespace lowbit
