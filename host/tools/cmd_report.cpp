// `lowbit report`: joins accelerator runs and the CPU reference into JSON, CSV and HTML reports.
#include "cmd_report.h"

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "lowbit/atomic_file.h"
#include "lowbit/error.h"
#include "lowbit/output_path.h"
#include "lowbit/report.h"
#include "lowbit/report_csv.h"
#include "lowbit/report_html.h"

namespace lowbit {
namespace {

struct ReportCmdOptions {
  std::vector<std::string> stats;
  std::string cpu;
  std::string out = "report";
  std::string node = "nangate45";
  std::string characterization;
  std::string activity = "measured";
  std::string dram;  ///< "" = each run's recorded spec (its memory preset's), else the default
  int weight_bits = 0;
  double project_to_nm = 0.0;
};

void report(const ReportCmdOptions& o) {
  ReportOptions ro;
  ro.node = o.node;
  ro.characterization = o.characterization;
  ro.cost.activity = o.activity;
  if (o.dram.empty()) {
    ro.dram_from_runs = true;
  } else {
    ro.cost.dram_spec = o.dram;
  }
  if (o.weight_bits > 0) ro.cost.weight_bits = o.weight_bits;
  if (o.project_to_nm > 0) ro.cost.project_to_nm = o.project_to_nm;
  const std::optional<std::string> cpu =
      o.cpu.empty() ? std::nullopt : std::optional<std::string>(o.cpu);
  check_output_dir(o.out, "--output");
  for (const char* f : {"report.json", "report.csv", "report.html"}) {
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(o.out, ec))) {
      check_output_file(std::filesystem::path(o.out) / f, "--output");
    }
  }
  // Everything is computed before anything is written: bad input leaves no partial output.
  const nlohmann::ordered_json r = build_report(o.stats, cpu, ro);
  const std::string json = r.dump(2) + "\n";
  const std::string csv = report_csv(r);
  const std::string html = report_html(r);
  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec) {
    throw InputError(
        fmt::format("{}: -o: cannot create the directory ({}); allowed: a writable "
                    "directory",
                    o.out, ec.message()));
  }
  const std::filesystem::path dir(o.out);
  write_file_atomic(dir / "report.json", json);
  write_file_atomic(dir / "report.csv", csv);
  write_file_atomic(dir / "report.html", html);

  fmt::print("lowbit report: {} design(s){}, node {}, workload {}\n", r["designs"].size(),
             cpu ? " + CPU reference" : "", r["node"].get<std::string>(),
             r["workload"].get<std::string>());
  auto show = [](const nlohmann::ordered_json& v, const char* unit) {
    return v.is_number() ? format_report_number(v.get<double>()) + unit
                         : std::string("not characterized");
  };
  for (const auto& d : r["designs"]) {
    fmt::print("  {:<20} {} op/s, {} tokens/s, {}, {}, {}, {}", d["name"].get<std::string>(),
               format_report_number(d["throughput"]["ops_per_second"].get<double>()),
               format_report_number(d["throughput"]["tokens_per_second"].get<double>()),
               show(d["energy"]["pj_per_op"], " pJ/op"), show(d["area"]["total_mm2"], " mm2"),
               show(d["efficiency"]["tops_per_mm2"], " TOPS/mm2"),
               show(d["efficiency"]["tops_per_w"], " TOPS/W"));
    if (d.contains("vs_cpu")) {
      fmt::print(", speedup {}, energy ratio {}", show(d["vs_cpu"]["speedup"], "x"),
                 show(d["vs_cpu"]["energy_ratio"], "x"));
    }
    fmt::print("\n");
    for (const auto& n : d["cost"]["not_characterized"]) {
      fmt::print("    not characterized: {}\n", n.get<std::string>());
    }
  }
  if (cpu) {
    const auto& warm = r["cpu"]["warm"];
    fmt::print("  {:<20} {} op/s, {} tokens/s, {} pJ/op (energy {}); caches: {}{}\n",
               "CPU reference", format_report_number(r["cpu"]["ops_per_second"].get<double>()),
               format_report_number(r["cpu"]["tokens_per_second"].get<double>()),
               format_report_number(r["cpu"]["pj_per_op"].get<double>()),
               r["cpu"]["energy_label"].get<std::string>(), r["cpu"]["caches"].get<std::string>(),
               warm.contains("tokens_per_second")
                   ? fmt::format(" (warm: {} tokens/s)",
                                 format_report_number(warm["tokens_per_second"].get<double>()))
                   : std::string());
  }
  // Whole decoder blocks: the step by operator class (seconds), accelerator and CPU.
  const auto decoder_line = [&](const std::string& name, const nlohmann::ordered_json& dd) {
    const auto& b = dd["breakdown_seconds"];
    fmt::print(
        "  {:<20} decoder {} ({} blocks): {} s per token step, {} tokens/s; linear {} s, attention "
        "matmuls {} s, KV traffic {} s, nonlinear {} s{}\n",
        name, dd["phase"].get<std::string>(), dd["blocks"].dump(),
        format_report_number(dd["seconds_per_token_step"].get<double>()),
        format_report_number(dd["tokens_per_second"].get<double>()),
        format_report_number(b["linear"].get<double>()),
        format_report_number(b["attention_matmuls"].get<double>()),
        format_report_number(b["kv_traffic"].get<double>()),
        format_report_number(b["nonlinear"].get<double>()),
        (dd.contains("whole_model")
             ? fmt::format(
                   "; whole model ({} blocks, scaled) {} tokens/s",
                   dd["whole_model"]["blocks"].dump(),
                   format_report_number(dd["whole_model"]["tokens_per_second"].get<double>()))
             : std::string()) +
            (dd.contains("vs_cpu")
                 ? fmt::format(", speedup vs CPU {}x ({})",
                               format_report_number(dd["vs_cpu"]["speedup"].get<double>()),
                               dd["vs_cpu"]["over"].get<std::string>())
                 : std::string()));
  };
  for (const auto& d : r["designs"]) {
    if (d.contains("decoder")) decoder_line(d["name"].get<std::string>(), d["decoder"]);
  }
  if (cpu && r["cpu"].contains("decoder")) decoder_line("CPU reference", r["cpu"]["decoder"]);
  fmt::print("wrote {}/report.json, report.csv, report.html\n", o.out);
}

}  // namespace

void add_report_command(CLI::App& app) {
  auto o = std::make_shared<ReportCmdOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Throughput, energy, area and efficiency of runs (stats.json of `lowbit run "
      "--stats`), next to the CPU reference, as JSON, CSV and HTML (docs/report.md)");
  cmd->add_option("stats", o->stats, "stats.json files, one per design")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--cpu", o->cpu, "result.json of `lowbit run --backend cpu` (same workload)")
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", o->out, "Output directory")->capture_default_str();
  cmd->add_option("--node", o->node, "Characterization node")
      ->check(CLI::IsMember({"nangate45", "sky130hd"}))
      ->capture_default_str();
  cmd->add_option("--characterization", o->characterization,
                  "Characterization JSON (default: rtl/synth/characterization/<node>.json)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--activity", o->activity, "Event energies at measured or default activity")
      ->check(CLI::IsMember({"measured", "default"}))
      ->capture_default_str();
  cmd->add_option("--dram-energy", o->dram,
                  "DRAM energy spec (docs/energy-model.md); default: the one each run recorded "
                  "(its memory preset's), else ddr_horowitz2014_low")
      ->check(CLI::IsMember({"ddr_horowitz2014_low", "ddr_horowitz2014_high", "hbm2_oconnor2017"}));
  cmd->add_option("--weight-bits", o->weight_bits,
                  "Weight bit width for per-bit event energies (default: from the stats)")
      ->check(CLI::Range(1, 8));
  cmd->add_option("--project-to-nm", o->project_to_nm,
                  "Also project energy and area to this feature size (labelled a projection)")
      ->check(CLI::Range(1.0, 1000.0));
  cmd->callback([o] { report(*o); });
}

}  // namespace lowbit
