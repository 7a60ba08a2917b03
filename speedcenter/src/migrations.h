// speedcenter/migrations.h: access to the ordered schema migrations (private to the component).
#pragma once
#include <string_view>
#include <vector>

namespace speedcenter {
const std::vector<std::string_view>& migrations();
}
