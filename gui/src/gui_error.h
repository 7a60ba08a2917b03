// gui/gui_error.h: the dashboard's error: a message for the user and a hint for the fix. main prints both and
// exits with 2 (bad input or setup).
#pragma once

#include <stdexcept>
#include <string>

namespace gui {

class GuiError : public std::runtime_error {
 public:
  GuiError(std::string message, std::string hint)
      : std::runtime_error(std::move(message)), hint_(std::move(hint)) {}
  const std::string& hint() const { return hint_; }

 private:
  std::string hint_;
};

}  // namespace gui
