// report_speedscope.cpp: speedscope's file format (its file-format-spec: shared frames, then "sampled"
// profiles whose samples are stacks of frame indices, outermost first, with a weight each). Several
// processes give one profile each, the merged one first.
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "reporters.h"

namespace measure_loc {

namespace {

nlohmann::json sampled_profile(const Profile& profile, const std::string& name,
                               const std::vector<int>& frame_ids) {
  nlohmann::json samples = nlohmann::json::array(), weights = nlohmann::json::array();
  std::int64_t total = 0;
  for (const StackCount& stack : profile.stacks) {
    nlohmann::json sample = nlohmann::json::array();
    for (int f : stack.frames) sample.push_back(frame_ids[static_cast<std::size_t>(f)]);
    samples.push_back(std::move(sample));
    weights.push_back(stack.count);
    total += stack.count;
  }
  return {{"type", "sampled"}, {"name", name},          {"unit", "none"},      {"startValue", 0},
          {"endValue", total}, {"samples", samples}, {"weights", weights}};
}

}  // namespace

void write_speedscope(const Profile& profile, std::ostream& out) {
  nlohmann::json frames = nlohmann::json::array();
  std::map<std::tuple<std::string, std::string, int>, int> shared;
  // Maps one profile's frame indices onto the shared frame list.
  auto frame_ids = [&](const Profile& p) {
    std::vector<int> ids;
    for (const StackFrame& f : p.frames) {
      auto [it, inserted] = shared.emplace(std::tuple{f.filename, f.function, f.line}, static_cast<int>(frames.size()));
      if (inserted) {
        nlohmann::json frame = {{"name", f.function}};
        if (!f.filename.empty()) frame["file"] = f.filename;
        if (f.line >= 0) frame["line"] = f.line;
        frames.push_back(std::move(frame));
      }
      ids.push_back(it->second);
    }
    return ids;
  };
  nlohmann::json profiles = nlohmann::json::array();
  std::string name = profile.target.empty() ? process_label(profile) : profile.target;
  profiles.push_back(sampled_profile(profile, name, frame_ids(profile)));
  if (profile.processes.size() > 1) {
    for (const Profile& process : profile.processes)
      profiles.push_back(sampled_profile(process, process_label(process), frame_ids(process)));
  }
  nlohmann::json doc = {{"$schema", "https://www.speedscope.app/file-format-schema.json"},
                        {"shared", {{"frames", frames}}},
                        {"profiles", profiles},
                        {"name", name},
                        {"activeProfileIndex", 0},
                        {"exporter", "measure_loc"}};
  out << doc.dump() << "\n";
}

}  // namespace measure_loc
