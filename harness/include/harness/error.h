// harness/error.h: the harness's one error type: a message for the user and a hint for the fix.
#pragma once

#include <stdexcept>
#include <string>

namespace harness {

class HarnessError : public std::runtime_error {
 public:
  HarnessError(std::string message, std::string hint = {})
      : std::runtime_error(std::move(message)), hint_(std::move(hint)) {}
  const std::string& hint() const { return hint_; }

 private:
  std::string hint_;
};

}  // namespace harness
