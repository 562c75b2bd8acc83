// The accelerator top on a mixpe core for component tests of the top's engines (top_test.cpp,
// vector_unit_test.cpp): the top, its stats, the program it runs and its timeline's events.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "sim/mixpe/mixpe_core.h"
#include "sim/mixpe/pe_array_driver.h"
#include "sim/top/accel_top.h"

namespace lowbit {

struct TopRig {
  explicit TopRig(const HwConfig& hw) : stats("accelerator") {
    auto driver = make_pe_array_driver(hw, stats.child("core"), [&](int, StatGroup& s) {
      return std::unique_ptr<IPeArray>(new PeArrayModel<MixpeCore>(pe_array_params(hw), s));
    });
    top = std::make_unique<AccelTop>("top", hw, stats, std::move(driver));
    top->timeline_cap = 1000;
  }
  const TimelineEvent& event(const std::string& name) const {
    for (const auto& e : top->timeline) {
      if (e.name == name) return e;
    }
    throw std::runtime_error("no event " + name);
  }
  StatGroup stats;
  std::unique_ptr<AccelTop> top;
  Program program;
};

}  // namespace lowbit
