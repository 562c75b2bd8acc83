// Collecting point results into one table, and writing it as CSV and SQLite.
#include "lowbit/sweep_table.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "lowbit/atomic_file.h"
#include "lowbit/error.h"
#include "lowbit/run_record.h"
#include "lowbit/sweep_pareto.h"

namespace lowbit {
namespace {

using json = nlohmann::json;

json cell(const nlohmann::ordered_json& v) {
  if (v.is_number() || v.is_string() || v.is_null()) return json::parse(v.dump());
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  return v.dump();  // arrays: their JSON text
}

std::string csv_field(const json& v) {
  if (v.is_null()) return "";
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(fmt::format("sqlite: {}: {}", what, sqlite3_errmsg(db)));
  }
}

std::string quote_ident(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

int ResultTable::column(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return static_cast<int>(i);
  }
  return -1;
}

ResultTable collect_results(const SweepDir& dir, const SweepManifest& m) {
  ResultTable t;
  t.objectives = m.objectives;
  t.columns = {"id", "design", "tier", "backend", "workload", "status", "wall_seconds"};
  const size_t fixed = t.columns.size();
  for (const auto& p : m.parameters) t.columns.push_back(p);
  std::vector<std::string> metric_keys;
  std::set<std::string> seen;
  std::vector<json> metrics(m.points.size(), json::object());
  for (size_t i = 0; i < m.points.size(); ++i) {
    const std::string& id = m.points[i].id;
    if (!dir.finished(id)) continue;
    std::ifstream in(dir.stats(id));
    try {
      // The point's run record (lowbit run or lowbit estimate): its metrics as the run computed
      // them, schema-checked; nothing is re-evaluated.
      const RunRecord r =
          run_record_from_stats_json(nlohmann::ordered_json::parse(in), dir.stats(id).string());
      if (!r.metrics) continue;
      const nlohmann::ordered_json mj = to_json(*r.metrics);
      for (const auto& [k, v] : mj.items()) {
        if (!v.is_number()) continue;
        metrics[i][k] = json::parse(v.dump());
        if (seen.insert(k).second) metric_keys.push_back(k);
      }
    } catch (const nlohmann::json::exception&) {
      continue;  // a damaged stats file reads as no metrics; the status still says ok
    } catch (const InputError&) {
      continue;  // so does one that is not a run record of this schema version
    }
  }
  for (const auto& k : metric_keys) {
    if (t.column(k) < 0) t.columns.push_back(k);
  }
  t.columns.push_back("pareto");
  for (size_t i = 0; i < m.points.size(); ++i) {
    const SweepPoint& p = m.points[i];
    std::vector<json> row(t.columns.size(), nullptr);
    row[0] = p.id;
    row[1] = p.design;
    row[2] = p.tier;
    row[3] = p.backend;
    row[4] = p.workload;
    const auto st = dir.read_status(p.id);
    const bool done = dir.finished(p.id);
    row[5] = done ? "ok" : st ? st->status : "pending";
    if (st) row[6] = st->seconds;
    for (size_t k = 0; k < m.parameters.size(); ++k) {
      if (p.params.contains(m.parameters[k])) row[fixed + k] = cell(p.params[m.parameters[k]]);
    }
    for (const auto& [k, v] : metrics[i].items()) row[static_cast<size_t>(t.column(k))] = v;
    t.rows.push_back(std::move(row));
  }
  // Pareto flags per (tier, workload) group of finished rows.
  std::vector<int> obj_cols;
  std::vector<bool> maximize;
  for (const auto& o : m.objectives) {
    const int c = t.column(o.metric);
    if (c < 0 && !metric_keys.empty()) {
      std::vector<std::string> numeric = m.parameters;
      numeric.insert(numeric.end(), metric_keys.begin(), metric_keys.end());
      std::string list;
      for (const auto& s : numeric) list += (list.empty() ? "" : ", ") + s;
      throw InputError(
          fmt::format("objective '{}': no such metric or parameter; allowed: {}", o.metric, list));
    }
    obj_cols.push_back(c);
    maximize.push_back(o.maximize);
  }
  const int pareto = t.column("pareto");
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> groups;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    if (t.rows[i][5] == "ok") groups[{m.points[i].tier, m.points[i].workload}].push_back(i);
  }
  for (const auto& [key, idx] : groups) {
    std::vector<std::vector<double>> vals;
    for (size_t i : idx) {
      std::vector<double> v;
      for (int c : obj_cols) {
        const json& x = c < 0 ? json() : t.rows[i][static_cast<size_t>(c)];
        v.push_back(x.is_number() ? x.get<double>() : std::nan(""));
      }
      vals.push_back(std::move(v));
      t.rows[i][static_cast<size_t>(pareto)] = 0;
    }
    for (size_t f : pareto_front(vals, maximize)) t.rows[idx[f]][static_cast<size_t>(pareto)] = 1;
  }
  return t;
}

void write_csv(const ResultTable& t, const std::filesystem::path& path) {
  std::string out;
  for (size_t c = 0; c < t.columns.size(); ++c) {
    out += (c ? "," : "") + csv_field(t.columns[c]);
  }
  out += "\n";
  for (const auto& r : t.rows) {
    for (size_t c = 0; c < r.size(); ++c) out += (c ? "," : "") + csv_field(r[c]);
    out += "\n";
  }
  write_file_atomic(path, out);
}

void write_sqlite(const ResultTable& t, const std::filesystem::path& path) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  std::filesystem::remove(tmp);
  sqlite3* db = nullptr;
  if (sqlite3_open(tmp.c_str(), &db) != SQLITE_OK) {
    const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error(fmt::format("sqlite: cannot create {}: {}", tmp.string(), msg));
  }
  sqlite3_stmt* ins = nullptr;
  try {
    // Column types: INTEGER / REAL / TEXT by the first non-null cell.
    std::string create = "CREATE TABLE results (", insert = "INSERT INTO results VALUES (";
    for (size_t c = 0; c < t.columns.size(); ++c) {
      std::string type = "TEXT";
      for (const auto& r : t.rows) {
        if (r[c].is_null()) continue;
        type = r[c].is_number_integer() ? "INTEGER" : r[c].is_number() ? "REAL" : "TEXT";
        break;
      }
      create += (c ? ", " : "") + quote_ident(t.columns[c]) + " " + type;
      insert += c ? ", ?" : "?";
    }
    create += ")";
    insert += ")";
    check(sqlite3_exec(db, create.c_str(), nullptr, nullptr, nullptr), db, "create table");
    check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
    check(sqlite3_prepare_v2(db, insert.c_str(), -1, &ins, nullptr), db, "prepare");
    for (const auto& r : t.rows) {
      for (size_t c = 0; c < r.size(); ++c) {
        const int k = static_cast<int>(c) + 1;
        const json& v = r[c];
        if (v.is_null()) {
          sqlite3_bind_null(ins, k);
        } else if (v.is_number_integer()) {
          sqlite3_bind_int64(ins, k, v.get<int64_t>());
        } else if (v.is_number()) {
          sqlite3_bind_double(ins, k, v.get<double>());
        } else {
          const std::string s = v.is_string() ? v.get<std::string>() : v.dump();
          sqlite3_bind_text(ins, k, s.c_str(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
        }
      }
      check(sqlite3_step(ins), db, "insert");
      sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    ins = nullptr;
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  } catch (...) {
    sqlite3_finalize(ins);
    sqlite3_close(db);
    std::filesystem::remove(tmp);
    throw;
  }
  sqlite3_close(db);
  std::filesystem::rename(tmp, path);
}

}  // namespace lowbit
