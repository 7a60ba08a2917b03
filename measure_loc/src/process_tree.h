// process_tree.h: a process's descendants and what /proc says about each, for --subprocesses.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace measure_loc {

// Every live descendant of `root` (children, grandchildren, ...), from the parent ids in /proc/*/stat.
std::vector<pid_t> descendants(pid_t root);

// /proc/PID/cmdline with spaces between the arguments; empty when the process is gone.
std::string command_line(pid_t pid);

// True once the process has exited (gone, or a zombie waiting for its parent).
bool process_gone(pid_t pid);

}  // namespace measure_loc
