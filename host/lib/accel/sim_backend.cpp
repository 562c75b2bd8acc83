// sim and rtl backends: the SystemC accelerator top with C++ tile models or Verilated tiles.
#include <fmt/format.h>

#include <memory>
#include <systemc>

#include "backends.h"
#include "host/lib/backends/rtl/rtl_tiles.h"
#include "host/lib/backends/rtl/rtl_units.h"
#include "lowbit/error.h"
#include "sim/top/accel_top.h"
#include "sim/top/unit_models.h"

namespace lowbit {
namespace {

/// What it is: the cycle-level accelerator (sim/top) elaborated once in this process.
class SimAccelerator final : public Accelerator {
 public:
  SimAccelerator(const HwConfig& hw, const ConnectOptions& o, bool rtl)
      : m_hw(hw), m_rtl(rtl), m_stats("accelerator") {
    if (s_elaborated) {
      throw InputError(
          "--backend: a process can elaborate one SystemC accelerator only (SystemC "
          "2.3); run another config in a new process");
    }
    s_elaborated = true;
    StatGroup& core_stats = m_stats.child("core");
    const CoreDriverMaker make =
        rtl ? find_rtl_driver(hw.unit_name()) : find_model_driver(hw.unit_name());
    if (make == nullptr) {
      throw InputError(fmt::format("--backend {}: the {} unit has no {}; allowed: another backend",
                                   rtl ? "rtl" : "sim", hw.unit_name(),
                                   rtl ? "Verilated RTL in the plugin" : "cycle model"));
    }
    std::unique_ptr<CoreDriver> driver = make(hw, core_stats);
    m_top = std::make_unique<AccelTop>("top", hw, m_stats, std::move(driver));
    m_top->timeline_cap = o.timeline_cap;
    if (!o.vcd_path.empty()) {
      std::string base = o.vcd_path;
      if (base.size() > 4 && base.substr(base.size() - 4) == ".vcd") {
        base = base.substr(0, base.size() - 4);
      }
      m_vcd = sc_core::sc_create_vcd_trace_file(base.c_str());
      m_vcd->set_time_unit(1, sc_core::SC_NS);
      m_top->trace(m_vcd);
    }
  }
  ~SimAccelerator() override {
    if (m_vcd) sc_core::sc_close_vcd_trace_file(m_vcd);
  }

  std::string backend() const override { return m_rtl ? "rtl" : "sim"; }
  const HwConfig& config() const override { return m_hw; }
  bool timed() const override { return true; }

  uint64_t run(Program& program, const StoreHook& on_store) override {
    m_stats.reset();
    m_top->timeline.clear();
    m_top->timeline_dropped = 0;
    m_top->on_store = on_store;
    return m_top->run(program);
  }
  nlohmann::ordered_json stats() const override { return m_stats.to_json(); }
  nlohmann::ordered_json describe_stats() const override { return m_stats.describe(); }
  std::vector<UnitSpan> timeline() const override {
    std::vector<UnitSpan> v;
    v.reserve(m_top->timeline.size());
    for (const auto& e : m_top->timeline) {
      v.push_back({top_unit_name(e.unit), e.name, e.start, e.end, e.address});
    }
    return v;
  }
  uint64_t timeline_dropped() const override { return m_top->timeline_dropped; }

 private:
  static inline bool s_elaborated = false;
  HwConfig m_hw;
  bool m_rtl;
  StatGroup m_stats;
  std::unique_ptr<AccelTop> m_top;
  sc_core::sc_trace_file* m_vcd = nullptr;
};

}  // namespace

std::unique_ptr<Accelerator> make_sim_accelerator(const HwConfig& hw, const ConnectOptions& o) {
  return std::make_unique<SimAccelerator>(hw, o, false);
}

std::unique_ptr<Accelerator> make_rtl_accelerator(const HwConfig& hw, const ConnectOptions& o) {
  std::string why;
  if (!rtl_tiles_available(&why)) throw InputError(why);
  return std::make_unique<SimAccelerator>(hw, o, true);
}

}  // namespace lowbit
