// process_tree.cpp: /proc scans. Cheap enough to repeat every few tens of milliseconds: one small read per
// process on the machine.
#include "process_tree.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>

namespace measure_loc {

namespace {

// The state letter and parent id from /proc/PID/stat; false when the process is gone.
bool read_stat(pid_t pid, char& state, pid_t& parent) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content;
  if (!std::getline(stat, content)) return false;
  auto paren = content.rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos || paren + 4 >= content.size()) return false;
  state = content[paren + 2];
  parent = static_cast<pid_t>(std::atoi(content.c_str() + paren + 4));
  return true;
}

}  // namespace

std::vector<pid_t> descendants(pid_t root) {
  std::multimap<pid_t, pid_t> children;
  if (DIR* proc = opendir("/proc")) {
    while (dirent* entry = readdir(proc)) {
      pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
      char state = 0;
      pid_t parent = 0;
      if (pid > 0 && read_stat(pid, state, parent) && state != 'Z' && state != 'X') children.emplace(parent, pid);
    }
    closedir(proc);
  }
  std::vector<pid_t> result, pending = {root};
  while (!pending.empty()) {
    pid_t parent = pending.back();
    pending.pop_back();
    auto [begin, end] = children.equal_range(parent);
    for (auto it = begin; it != end; ++it) {
      result.push_back(it->second);
      pending.push_back(it->second);
    }
  }
  return result;
}

std::string command_line(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string text;
  try {
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } catch (const std::ios_base::failure&) {
    return {};  // exited between open and read (ESRCH): libstdc++'s filebuf throws, whatever the mask
  }
  while (!text.empty() && text.back() == '\0') text.pop_back();
  for (char& c : text) c = c == '\0' ? ' ' : c;
  return text;
}

bool process_gone(pid_t pid) {
  char state = 0;
  pid_t parent = 0;
  return !read_stat(pid, state, parent) || state == 'Z' || state == 'X';
}

}  // namespace measure_loc
